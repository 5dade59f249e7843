//! The 问题清单 as CSV: one row per finding, plus one row per unreadable file
//! so nothing disappears from the list.
//!
//! UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with the
//! Chinese intact; quoting follows RFC 4180. A cell that Excel would read as a
//! formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, so
//! text taken from a document can never run as one.

use std::borrow::Cow;
use std::io::{self, Write};

use super::cells::{FINDING_HEADERS, LEVEL_COLUMN, REASON_COLUMN, finding_cells};
use super::{Reporter, Summary};
use crate::review::{Finding, Review};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the 级别 column says for a file that could not be read.
pub const UNREADABLE: &str = "无法读取";

pub struct CsvReporter {
    out: ::csv::Writer<BomFirst>,
    started: bool,
}

impl CsvReporter {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        let out = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(BomFirst {
                inner: out,
                started: false,
            });
        CsvReporter {
            out,
            started: false,
        }
    }

    /// The header row, once, before the first row.
    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            self.out.write_record(FINDING_HEADERS)?;
        }
        Ok(())
    }

    fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        self.start()?;
        self.out
            .write_record(cells.into_iter().map(|c| neutralize(c).into_owned()))?;
        Ok(())
    }
}

/// Puts the byte-order mark before the first bytes written.
struct BomFirst {
    inner: Box<dyn Write + Send>,
    started: bool,
}

impl Write for BomFirst {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.started {
            self.inner.write_all(BOM)?;
            self.started = true;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Keeps Excel from evaluating a cell as a formula.
fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

impl Reporter for CsvReporter {
    fn begin_document(&mut self, review: &Review) -> io::Result<()> {
        let Some(e) = &review.error else {
            return Ok(());
        };
        let reason = format!("文件无法读取（{}）：{}", e.kind, e.message);
        let mut cells: [&str; 12] = Default::default();
        cells[0] = &review.path;
        cells[LEVEL_COLUMN] = UNREADABLE;
        cells[REASON_COLUMN] = &reason;
        self.row(cells)
    }

    fn finding(&mut self, review: &Review, finding: &Finding) -> io::Result<()> {
        let cells = finding_cells(review, finding);
        self.row(cells.iter().map(String::as_str))
    }

    fn end_document(&mut self, _review: &Review) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.start()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::review::Level;

    /// A sink the test can read after the reporter is done with it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn embedded_commas_quotes_and_newlines_round_trip() {
        let mut review = Review::failed("a.txt".into(), "txt", None, "x", String::new());
        review.error = None;
        review.meta.title = Some("关于\"甲,乙\"的通知\n（草案）".into());
        let finding = Finding {
            id: "x".into(),
            rule: "r.one".into(),
            article: 8,
            item: 3,
            level: Level::Warning,
            confidence: 0.8,
            clause: "第一条".into(),
            start: 0,
            end: 4,
            page: Some(2),
            text: "限定, 使用\r\n本地\"产品\"".into(),
            evidence: vec!["限定".into()],
            explanation: "=理由".into(),
            suggestion: "删除".into(),
            ocr: false,
            similar: Vec::new(),
        };
        review.findings.push(finding);
        let sink = Shared::default();
        let mut reporter = CsvReporter::new(Box::new(sink.clone()));
        super::super::emit(&mut reporter, &review).unwrap();
        reporter.finish(&Summary::default()).unwrap();
        let bytes = sink.0.lock().unwrap().clone();
        assert!(bytes.starts_with(BOM));
        let mut reader = ::csv::Reader::from_reader(&bytes[BOM.len()..]);
        let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][1], "关于\"甲,乙\"的通知\n（草案）");
        assert_eq!(&rows[0][2], "第一条（第2页）");
        assert_eq!(&rows[0][3], "限定, 使用\r\n本地\"产品\"");
        assert_eq!(&rows[0][5], "警告");
        assert_eq!(&rows[0][6], "0.80");
        assert_eq!(&rows[0][8], "'=理由");
    }

    #[test]
    fn an_empty_batch_still_has_the_header() {
        let sink = Shared::default();
        let mut reporter = CsvReporter::new(Box::new(sink.clone()));
        reporter.finish(&Summary::default()).unwrap();
        let bytes = sink.0.lock().unwrap().clone();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, format!("\u{FEFF}{}\r\n", FINDING_HEADERS.join(",")));
    }

    #[test]
    fn formulas_are_neutralized_and_text_is_kept() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("-1"), "'-1");
        assert_eq!(neutralize("第一条 给予奖励"), "第一条 给予奖励");
        assert_eq!(neutralize(""), "");
    }
}
