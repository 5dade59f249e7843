//! One self-contained HTML page per run: batch summary, bar charts (inline
//! SVG), a table of documents, then every document with its text, flagged
//! sentences highlighted and the findings beside them. No script, no external
//! resource: the file works offline and prints one document per page.
//!
//! Streaming: document sections are rendered as they arrive into a spooled
//! temporary file (in memory up to [`SPOOL_BYTES`], then on disk); only a small
//! row per document and the chart tallies stay in memory. `finish` writes the
//! head, summary, charts and table, then copies the sections after them.

mod charts;
mod document;
mod highlight;
mod page;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Seek, SeekFrom, Write};

use tempfile::SpooledTempFile;

use super::conclusion::{self, Conclusion};
use super::{Reporter, Summary};
use crate::extract::Block;
use crate::review::{Finding, Level, Review};
use crate::rules::standards::group_name;
use crate::rules::{RuleSet, Standards};
use charts::{Bar, Chart, bar_chart};
use document::{conclusion_tag, display_title, doc_anchor, file_name};
use page::{LEVELS, error_kind_label, push_esc};

/// Sections beyond this size go to a temporary file instead of memory.
pub const SPOOL_BYTES: usize = 16 * 1024 * 1024;

/// The per-document chart shows at most this many documents (most findings first).
const CHART_DOCUMENTS: usize = 30;

/// The groups of Articles 8–11, in the regulation's order.
const GROUPS: [(u8, &str); 4] = [
    (8, "market_access"),
    (9, "free_flow"),
    (10, "costs"),
    (11, "conduct"),
];

/// Findings counted by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCounts {
    pub error: usize,
    pub warning: usize,
    pub suggestion: usize,
}

impl LevelCounts {
    pub fn add(&mut self, level: Level) {
        match level {
            Level::Error => self.error += 1,
            Level::Warning => self.warning += 1,
            Level::Suggestion => self.suggestion += 1,
        }
    }

    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Error => self.error,
            Level::Warning => self.warning,
            Level::Suggestion => self.suggestion,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.suggestion
    }

    fn of(findings: &[Finding]) -> LevelCounts {
        let mut c = LevelCounts::default();
        for f in findings {
            c.add(f.level);
        }
        c
    }
}

/// What the summary keeps of each document.
struct Row {
    path: String,
    title: String,
    doc_number: Option<String>,
    issuer: Option<String>,
    date: Option<String>,
    counts: LevelCounts,
    conclusion: Option<Conclusion>,
    /// Kind label and message of an unreadable file.
    error: Option<(String, String)>,
}

pub struct HtmlReporter {
    out: Box<dyn Write + Send>,
    sections: SpooledTempFile,
    rows: Vec<Row>,
    by_item: BTreeMap<(u8, u8), LevelCounts>,
    text: Option<(String, Vec<Block>)>,
    standards: &'static Standards,
}

impl HtmlReporter {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        HtmlReporter::with_spool(out, SPOOL_BYTES)
    }

    /// Sections beyond `spool_bytes` are kept in a temporary file.
    pub fn with_spool(out: Box<dyn Write + Send>, spool_bytes: usize) -> Self {
        HtmlReporter {
            out,
            sections: SpooledTempFile::new(spool_bytes),
            rows: Vec::new(),
            by_item: BTreeMap::new(),
            text: None,
            standards: &RuleSet::embedded().standards,
        }
    }

    fn summary(&self, out: &mut String, s: &Summary) {
        let mut conclusions: BTreeMap<Option<Conclusion>, usize> = BTreeMap::new();
        for r in &self.rows {
            *conclusions.entry(r.conclusion).or_default() += 1;
        }
        out.push_str(
            "<section class=\"panel\" id=\"summary\">\n<h2>概况</h2>\n<dl class=\"stats\">",
        );
        let mut stat = |key: &str, label: &str, value: usize, detail: String| {
            let _ = write!(
                out,
                "<div class=\"stat\"><dt>{label}</dt><dd><span class=\"n\" data-stat=\"{key}\">{value}</span>{detail}</dd></div>"
            );
        };
        stat("files", "文件", s.files, String::new());
        stat(
            "read",
            "已审查",
            s.files.saturating_sub(s.failed),
            String::new(),
        );
        stat("failed", "无法读取", s.failed, String::new());
        if s.skipped > 0 {
            stat("skipped", "非文档文件（已跳过）", s.skipped, String::new());
        }
        stat(
            "findings",
            "问题条款",
            s.errors + s.warnings + s.suggestions,
            String::new(),
        );
        stat("errors", "错误", s.errors, String::new());
        stat("warnings", "警告", s.warnings, String::new());
        stat("suggestions", "提示", s.suggestions, String::new());
        for c in Conclusion::ALL {
            stat(
                c.as_str(),
                &format!("建议{}", c.label()),
                conclusions.get(&Some(c)).copied().unwrap_or(0),
                " <small>个文件</small>".to_string(),
            );
        }
        if s.suppressed > 0 || s.stale_baseline > 0 {
            stat("suppressed", "已隐藏", s.suppressed, String::new());
        }
        out.push_str("</dl>\n<p class=\"notice\">");
        push_esc(out, conclusion::DISCLAIMER);
        out.push_str(" 建议结论规则：无警告及以上问题为“可以出台”；错误级别问题条款占全文一半以上为“不得出台”；其余有警告或错误的为“修改后出台”。");
        if s.stale_baseline > 0 {
            let _ = write!(
                out,
                " 基线中有 {} 条本次未匹配（条款可能已修改，可用 fairscan baseline prune 清理）。",
                s.stale_baseline
            );
        }
        out.push_str("</p>\n</section>\n");
    }

    fn charts(&self, out: &mut String, s: &Summary) {
        out.push_str("<section id=\"charts\">\n<h2>图表</h2>\n<div class=\"legend\">");
        for level in LEVELS {
            let _ = write!(
                out,
                "<span><span class=\"swatch {}\"></span>{}</span>",
                page::level_class(level),
                level.label()
            );
        }
        out.push_str("</div>\n<div class=\"charts\">\n");
        let groups: Vec<Bar> = GROUPS
            .iter()
            .map(|&(article, group)| {
                let mut counts = LevelCounts::default();
                for (&(a, _), c) in &self.by_item {
                    if a == article {
                        counts.error += c.error;
                        counts.warning += c.warning;
                        counts.suggestion += c.suggestion;
                    }
                }
                let name = group_name(group);
                Bar {
                    label: name.to_string(),
                    tooltip: format!("第{}条 {name}", chinese(article)),
                    href: None,
                    counts,
                }
            })
            .collect();
        let chart = |kind, caption, label_width, wide| Chart {
            kind,
            caption,
            label_width,
            wide,
            note: None,
        };
        bar_chart(
            out,
            &chart("group", "按审查标准分组", 150.0, false),
            &groups,
        );
        let levels: Vec<Bar> = LEVELS
            .iter()
            .map(|&level| {
                let mut counts = LevelCounts::default();
                match level {
                    Level::Error => counts.error = s.errors,
                    Level::Warning => counts.warning = s.warnings,
                    Level::Suggestion => counts.suggestion = s.suggestions,
                }
                Bar {
                    label: level.label().to_string(),
                    tooltip: level.label().to_string(),
                    href: None,
                    counts,
                }
            })
            .collect();
        bar_chart(out, &chart("level", "按级别", 60.0, false), &levels);
        let items = self.item_bars();
        bar_chart(out, &chart("item", "按审查标准条目", 560.0, true), &items);
        let (docs, note) = self.document_bars();
        let by_document = Chart {
            note: note.as_deref(),
            ..chart("document", "按文件", 560.0, true)
        };
        bar_chart(out, &by_document, &docs);
        out.push_str("</div>\n</section>\n");
    }

    /// Every item of the catalogue (zero bars included, so a reviewer sees
    /// what was checked), then any item a custom rule cites outside it.
    fn item_bars(&self) -> Vec<Bar> {
        let mut keys: Vec<(u8, u8)> = self
            .standards
            .item
            .iter()
            .map(|i| (i.article, i.item))
            .collect();
        keys.extend(self.by_item.keys().copied());
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|(article, item)| {
                let code = format!("{}({})", article, item);
                let title = self
                    .standards
                    .item(article, item)
                    .map_or("", |i| i.title.as_str());
                Bar {
                    label: format!("{code} {title}"),
                    tooltip: format!("第{}条第（{}）项 {title}", chinese(article), chinese(item)),
                    href: None,
                    counts: self
                        .by_item
                        .get(&(article, item))
                        .copied()
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    fn document_bars(&self) -> (Vec<Bar>, Option<String>) {
        let mut flagged: Vec<(usize, &Row)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.counts.total() > 0)
            .collect();
        flagged.sort_by_key(|(i, r)| (std::cmp::Reverse(r.counts.total()), *i));
        let note = if flagged.is_empty() {
            Some("本批文件未发现问题条款。".to_string())
        } else if flagged.len() > CHART_DOCUMENTS {
            Some(format!(
                "共 {} 个文件有问题条款，图中显示问题最多的 {CHART_DOCUMENTS} 个。",
                flagged.len()
            ))
        } else {
            None
        };
        let bars = flagged
            .into_iter()
            .take(CHART_DOCUMENTS)
            .map(|(i, r)| Bar {
                label: format!("{}. {}", i + 1, r.title),
                tooltip: format!("{}. {}（{}）", i + 1, r.title, r.path),
                href: Some(format!("#{}", doc_anchor(i + 1))),
                counts: r.counts,
            })
            .collect();
        (bars, note)
    }

    fn table(&self, out: &mut String) {
        out.push_str("<section class=\"panel\" id=\"documents\">\n<h2>文件列表</h2>\n");
        out.push_str("<table class=\"docs\"><thead><tr><th>序号</th><th>文件</th><th>发文字号</th><th>发文机关</th><th>成文日期</th><th>错误</th><th>警告</th><th>提示</th><th>建议结论</th></tr></thead>\n<tbody>\n");
        for (i, r) in self.rows.iter().enumerate() {
            let n = i + 1;
            let _ = write!(
                out,
                "<tr><td class=\"n\">{n}</td><td><a href=\"#{}\">",
                doc_anchor(n)
            );
            push_esc(out, &r.title);
            out.push_str("</a><span class=\"path\">");
            push_esc(out, &r.path);
            out.push_str("</span></td>");
            for v in [&r.doc_number, &r.issuer, &r.date] {
                out.push_str("<td>");
                push_esc(out, v.as_deref().unwrap_or("—"));
                out.push_str("</td>");
            }
            for level in LEVELS {
                let _ = write!(out, "<td class=\"n\">{}</td>", r.counts.get(level));
            }
            let (label, class) = conclusion_tag(r.conclusion);
            let _ = writeln!(
                out,
                "<td><span class=\"tag {class}\">{label}</span></td></tr>"
            );
        }
        out.push_str("</tbody></table>\n");
        let failed: Vec<(usize, &Row)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.error.is_some())
            .collect();
        if !failed.is_empty() {
            out.push_str("<h3 id=\"unreadable\">无法审查的文件</h3>\n<table class=\"unreadable\"><thead><tr><th>序号</th><th>文件</th><th>类别</th><th>原因</th></tr></thead><tbody>\n");
            for (i, r) in failed {
                let (kind, message) = r.error.clone().unwrap_or_default();
                let _ = write!(
                    out,
                    "<tr><td class=\"n\">{}</td><td><a href=\"#{}\">",
                    i + 1,
                    doc_anchor(i + 1)
                );
                push_esc(out, &r.path);
                out.push_str("</a></td><td class=\"kind\">");
                push_esc(out, &kind);
                out.push_str("</td><td class=\"reason\">");
                push_esc(out, &message);
                out.push_str("</td></tr>\n");
            }
            out.push_str("</tbody></table>\n");
        }
        out.push_str("</section>\n");
    }
}

fn chinese(n: u8) -> String {
    crate::document::numerals::to_chinese(n as u32)
}

impl Reporter for HtmlReporter {
    fn wants_text(&self) -> bool {
        true
    }

    fn document_text(&mut self, text: &str, blocks: &[Block]) -> io::Result<()> {
        self.text = Some((text.to_string(), blocks.to_vec()));
        Ok(())
    }

    fn begin_document(&mut self, _review: &Review) -> io::Result<()> {
        Ok(())
    }

    fn finding(&mut self, _review: &Review, _finding: &Finding) -> io::Result<()> {
        Ok(())
    }

    fn end_document(&mut self, review: &Review) -> io::Result<()> {
        let text = self.text.take();
        let n = self.rows.len() + 1;
        for f in &review.findings {
            self.by_item
                .entry((f.article, f.item))
                .or_default()
                .add(f.level);
        }
        self.rows.push(Row {
            path: review.path.clone(),
            title: display_title(review).to_string(),
            doc_number: review.meta.doc_number.clone(),
            issuer: review.meta.issuer.clone(),
            date: review.meta.date.clone(),
            counts: LevelCounts::of(&review.findings),
            conclusion: conclusion::propose(review).map(|p| p.conclusion),
            error: review
                .error
                .as_ref()
                .map(|e| (error_kind_label(&e.kind).to_string(), e.message.clone())),
        });
        let mut section = String::new();
        let shown = text.as_ref().map(|(t, b)| (t.as_str(), b.as_slice()));
        document::render(&mut section, n, review, shown, self.standards);
        self.sections.write_all(section.as_bytes())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let title = match self.rows.as_slice() {
            [one] => format!("公平竞争审查报告：{}", one.title),
            _ => "公平竞争审查报告".to_string(),
        };
        let mut top = String::new();
        page::head(&mut top, &title);
        top.push_str("<nav class=\"top\"><strong>fairscan 公平竞争审查报告</strong><a href=\"#summary\">概况</a><a href=\"#charts\">图表</a><a href=\"#documents\">文件列表</a></nav>\n<main>\n<h1>");
        push_esc(&mut top, &title);
        top.push_str("</h1>\n<p class=\"lead\">依据《公平竞争审查条例》第八条至第十一条逐条检查可能排除、限制竞争的内容。");
        if let [one] = self.rows.as_slice() {
            push_esc(&mut top, &format!("文件：{}", file_name(&one.path)));
        }
        top.push_str("</p>\n");
        self.summary(&mut top, summary);
        self.charts(&mut top, summary);
        self.table(&mut top);
        self.out.write_all(top.as_bytes())?;
        self.sections.seek(SeekFrom::Start(0))?;
        io::copy(&mut self.sections, &mut self.out)?;
        let mut bottom = String::from("</main>\n");
        page::foot(&mut bottom);
        self.out.write_all(bottom.as_bytes())?;
        self.out.flush()
    }
}
