//! The Excel ledger (台账) of a batch: `scan --format xlsx --out FILE`.
//!
//! Three sheets: 台账 (one row per document, with the proposed conclusion and
//! a review status for the reviewer to update), 问题清单 (one row per finding,
//! with an empty 审查决定 column for the reviewer) and 统计 (counts by item and
//! by issuer, totals). Rows are buffered in the worksheets as the batch
//! streams; the workbook is assembled and written in `finish`, so the output
//! must be a file, never standard output.

mod sheet;
mod stats;

use std::io::{self, Write};

use rust_xlsxwriter::{Format, Workbook};

use super::cells::{self, CONFIDENCE_COLUMN, FINDING_HEADERS, LEVEL_COLUMN};
use super::conclusion::{self, Conclusion};
use super::{Reporter, Summary};
use crate::review::{Finding, Level, Review};
use sheet::{Column, Sheet, Styles, col, xl};
use stats::Stats;

const LEDGER_COLUMNS: &[Column] = &[
    col("序号", 8, false),
    col("文件", 40, false),
    col("标题", 50, true),
    col("发文字号", 24, false),
    col("发文机关", 30, false),
    col("成文日期", 14, false),
    col("格式", 8, false),
    col("字数", 10, false),
    col("错误", 8, false),
    col("警告", 8, false),
    col("提示", 8, false),
    col("涉及条目", 24, true),
    col("建议结论", 14, false),
    col("结论依据", 40, true),
    col("审查状态", 30, true),
    col("备注", 40, true),
];

/// Column layout of the 问题清单; headers come from [`FINDING_HEADERS`].
const FINDING_COLUMNS: &[Column] = &[
    col(FINDING_HEADERS[0], 40, false),
    col(FINDING_HEADERS[1], 40, true),
    col(FINDING_HEADERS[2], 30, true),
    col(FINDING_HEADERS[3], 60, true),
    col(FINDING_HEADERS[4], 40, true),
    col(FINDING_HEADERS[5], 8, false),
    col(FINDING_HEADERS[6], 10, false),
    col(FINDING_HEADERS[7], 20, true),
    col(FINDING_HEADERS[8], 50, true),
    col(FINDING_HEADERS[9], 50, true),
    col(FINDING_HEADERS[10], 24, false),
    col(FINDING_HEADERS[11], 24, true),
];

/// The status every readable document starts with.
pub const PENDING: &str = "待审查";

pub struct XlsxReporter {
    out: Box<dyn Write + Send>,
    styles: Styles,
    ledger: Sheet,
    findings: Sheet,
    stats: Stats,
}

impl XlsxReporter {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        XlsxReporter {
            out,
            styles: Styles::new(),
            ledger: Sheet::new(LEDGER_COLUMNS),
            findings: Sheet::new(FINDING_COLUMNS),
            stats: Stats::default(),
        }
    }

    fn write_ledger_row(&mut self, r: &Review) -> io::Result<()> {
        let sheet = &mut self.ledger;
        if !sheet.begin_row() {
            return Ok(());
        }
        let st = &self.styles;
        let number = sheet.row as f64;
        sheet.number(0, number, &st.number)?;
        sheet.text(1, &r.path, st, None)?;
        sheet.text(2, r.meta.title.as_deref().unwrap_or(""), st, None)?;
        sheet.text(3, r.meta.doc_number.as_deref().unwrap_or(""), st, None)?;
        sheet.text(4, r.meta.issuer.as_deref().unwrap_or(""), st, None)?;
        sheet.date(5, r.meta.date.as_deref(), &st.date)?;
        sheet.text(6, &r.format, st, None)?;
        if let Some(e) = &r.error {
            sheet.text(14, &format!("无法读取：{}", e.message), st, Some(&st.bad))?;
            sheet.end_row();
            return Ok(());
        }
        sheet.number(7, r.chars as f64, &st.number)?;
        for (c, level) in [
            (8, Level::Error),
            (9, Level::Warning),
            (10, Level::Suggestion),
        ] {
            let n = r.findings.iter().filter(|f| f.level == level).count();
            sheet.number(c, n as f64, &st.number)?;
        }
        sheet.text(11, &cells::items_touched(r), st, None)?;
        if let Some(p) = conclusion::propose(r) {
            let format = conclusion_format(st, p.conclusion);
            sheet.text(12, p.conclusion.label(), st, Some(format))?;
            sheet.text(13, &p.reason, st, None)?;
        }
        sheet.text(14, PENDING, st, None)?;
        sheet.text(15, &remarks(r), st, None)?;
        sheet.end_row();
        Ok(())
    }
}

fn level_format(st: &Styles, level: Level) -> &Format {
    match level {
        Level::Error => &st.bad,
        Level::Warning => &st.doubtful,
        Level::Suggestion => &st.text,
    }
}

fn conclusion_format(st: &Styles, c: Conclusion) -> &Format {
    match c {
        Conclusion::Reject => &st.bad,
        Conclusion::Revise => &st.doubtful,
        Conclusion::Publish => &st.good,
    }
}

/// Extraction warnings and baseline suppressions, for the 备注 column.
fn remarks(r: &Review) -> String {
    let mut notes = r.warnings.clone();
    if !r.suppressed.is_empty() {
        notes.push(format!("已隐藏 {} 处", r.suppressed.len()));
    }
    notes.join("；")
}

impl Reporter for XlsxReporter {
    fn begin_document(&mut self, _review: &Review) -> io::Result<()> {
        Ok(())
    }

    fn finding(&mut self, review: &Review, f: &Finding) -> io::Result<()> {
        let sheet = &mut self.findings;
        if !sheet.begin_row() {
            return Ok(());
        }
        let st = &self.styles;
        // Rounded as in the JSON, so the cell holds 0.85 rather than 0.8500000238.
        let confidence = (f64::from(f.confidence) * 100.0).round() / 100.0;
        for (i, value) in cells::finding_cells(review, f).iter().enumerate() {
            let c = i as u16;
            match i {
                CONFIDENCE_COLUMN => sheet.number(c, confidence, &st.percent)?,
                LEVEL_COLUMN => sheet.text(c, value, st, Some(level_format(st, f.level)))?,
                _ => sheet.text(c, value, st, None)?,
            }
        }
        sheet.end_row();
        Ok(())
    }

    fn end_document(&mut self, review: &Review) -> io::Result<()> {
        self.stats.add(review);
        self.write_ledger_row(review)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let styles = &self.styles;
        let mut ledger = std::mem::replace(&mut self.ledger, Sheet::new(LEDGER_COLUMNS));
        let mut findings = std::mem::replace(&mut self.findings, Sheet::new(FINDING_COLUMNS));
        ledger.finish("台账", styles)?;
        findings.finish("问题清单", styles)?;
        let mut totals = stats::sheet();
        self.stats
            .write(&mut totals, summary, findings.overflow, styles)?;
        let mut workbook = Workbook::new();
        workbook.push_worksheet(ledger.ws);
        workbook.push_worksheet(findings.ws);
        workbook.push_worksheet(totals.ws);
        let bytes = workbook.save_to_buffer().map_err(xl)?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}
