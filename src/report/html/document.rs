//! One document's section: metadata, proposed conclusion, the text with
//! flagged sentences highlighted and each finding below/beside its paragraph.

use std::fmt::Write as _;

use super::highlight::{Span, finding_id, mark_id, render_line};
use super::page::{error_kind_label, esc, level_class, push_esc};
use crate::document::numerals::to_chinese;
use crate::extract::{Block, BlockKind};
use crate::report::conclusion::{self, Conclusion};
use crate::review::{Finding, Review};
use crate::rules::Standards;

/// Longer texts show only the paragraphs with findings, so one huge file
/// cannot make the page unusable.
pub const FULL_TEXT_LIMIT: usize = 300_000;

/// Anchor of document `n` (1-based, in report order).
pub fn doc_anchor(n: usize) -> String {
    format!("doc-{n}")
}

/// 《公平竞争审查条例》第九条第（二）项
pub fn item_citation(f: &Finding) -> String {
    format!(
        "《公平竞争审查条例》第{}条第（{}）项",
        to_chinese(f.article as u32),
        to_chinese(f.item as u32)
    )
}

pub fn item_title<'a>(standards: &'a Standards, f: &Finding) -> &'a str {
    standards
        .item(f.article, f.item)
        .map_or("", |i| i.title.as_str())
}

pub use crate::report::markup::file_name;

pub fn display_title(review: &Review) -> &str {
    review
        .meta
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| file_name(&review.path))
}

/// Appends the whole section of document `n`.
pub fn render(
    out: &mut String,
    n: usize,
    review: &Review,
    text: Option<(&str, &[Block])>,
    standards: &Standards,
) {
    let failed = review.error.is_some();
    let _ = write!(
        out,
        "<section class=\"doc{}\" id=\"{}\">\n<h2><span class=\"num\">{n}.</span>",
        if failed { " failed" } else { "" },
        doc_anchor(n)
    );
    push_esc(out, display_title(review));
    out.push_str("</h2>\n");
    metadata(out, review);
    if let Some(e) = &review.error {
        let _ = write!(
            out,
            "<div class=\"verdict c-failed\"><strong>无法审查（{}）</strong><p class=\"error-reason\">",
            error_kind_label(&e.kind)
        );
        push_esc(out, &e.message);
        out.push_str("</p></div>\n");
    } else {
        verdict(out, review);
        notes(out, review);
        match text {
            Some((text, blocks)) => document_text(out, n, review, text, blocks, standards),
            None => {
                for (i, f) in review.findings.iter().enumerate() {
                    card(out, n, i + 1, f, standards, false);
                }
            }
        }
    }
    out.push_str("<p class=\"back\"><a href=\"#documents\">返回文件列表</a></p>\n</section>\n");
}

fn metadata(out: &mut String, review: &Review) {
    out.push_str("<dl class=\"meta\">");
    let mut row = |label: &str, value: &str| {
        let _ = write!(out, "<dt>{label}</dt><dd>");
        push_esc(out, value);
        out.push_str("</dd>");
    };
    row("文件", &review.path);
    row("格式", &review.format);
    let m = &review.meta;
    for (label, value) in [
        ("标题", &m.title),
        ("发文字号", &m.doc_number),
        ("发文机关", &m.issuer),
        ("成文日期", &m.date),
    ] {
        row(label, value.as_deref().unwrap_or("—"));
    }
    if review.error.is_none() {
        row("字数", &review.chars.to_string());
    }
    if let Some(sha) = &review.sha256 {
        row("SHA-256", sha);
    }
    out.push_str("</dl>\n");
}

fn verdict(out: &mut String, review: &Review) {
    let Some(c) = conclusion::propose(review).map(|p| p.conclusion) else {
        return;
    };
    let _ = write!(
        out,
        "<div class=\"verdict c-{}\" data-conclusion=\"{}\"><strong>建议结论：{}</strong><p>",
        c.as_str(),
        c.as_str(),
        c.label()
    );
    push_esc(out, &conclusion::reason(review));
    out.push_str("</p><p class=\"notice\">");
    push_esc(out, conclusion::DISCLAIMER);
    out.push_str("</p></div>\n");
}

/// Extraction warnings and baseline suppressions.
fn notes(out: &mut String, review: &Review) {
    if !review.warnings.is_empty() {
        out.push_str("<ul class=\"warnings\">");
        for w in &review.warnings {
            out.push_str("<li>注意：");
            push_esc(out, w);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
    if !review.suppressed.is_empty() {
        out.push_str("<h3>已隐藏（按基线或审查决定）</h3><ul class=\"suppressed\">");
        for s in &review.suppressed {
            out.push_str("<li>");
            push_esc(out, &format!("{} {}：{}", s.clause, s.rule, s.reason));
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
}

/// One line of the text as `fairscan extract` prints it.
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let len = line.chars().count();
        out.push(Line {
            text: line,
            start,
            end: start + len,
        });
        start += len + 1;
    }
    out
}

fn block_at(blocks: &[Block], offset: usize) -> Option<&Block> {
    let i = blocks.partition_point(|b| b.start <= offset);
    i.checked_sub(1).and_then(|i| blocks.get(i))
}

fn document_text(
    out: &mut String,
    n: usize,
    review: &Review,
    text: &str,
    blocks: &[Block],
    standards: &Standards,
) {
    let lines = lines(text);
    let total = lines.last().map_or(0, |l| l.end);
    let spans: Vec<Span> = review
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| Span {
            start: f.start,
            end: f.end.min(total),
            level: f.level,
            number: i + 1,
            tooltip: format!(
                "[{}] {}：{} {}",
                i + 1,
                f.level.label(),
                item_citation(f),
                item_title(standards, f)
            ),
        })
        .collect();
    // Per line: the spans touching it, and the cards that follow it (a
    // finding's card follows the line its span starts in).
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    let mut cards: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    let mut placed = vec![false; spans.len()];
    for (k, s) in spans.iter().enumerate() {
        if s.end <= s.start {
            continue;
        }
        let first = lines.partition_point(|l| l.end <= s.start);
        if let Some(home) = cards.get_mut(first)
            && lines.get(first).is_some_and(|l| l.start <= s.start)
        {
            home.push(k);
            placed[k] = true;
        }
        for (li, l) in lines.iter().enumerate().skip(first) {
            if l.start >= s.end {
                break;
            }
            touching[li].push(k);
        }
    }
    let long = total > FULL_TEXT_LIMIT;
    if review.findings.is_empty() {
        if long {
            out.push_str("<p class=\"notice\">全文较长且未发现问题条款，未显示全文。</p>\n");
            return;
        }
        let _ = writeln!(
            out,
            "<details class=\"doc-text\"><summary>显示全文（{total} 字）</summary>"
        );
    } else {
        out.push_str("<div class=\"doc-text\">\n");
        if long {
            out.push_str("<p class=\"notice\">全文较长，仅显示含问题条款的段落。</p>\n");
        }
    }
    let mut opened = vec![false; spans.len()];
    let mut page = None;
    let mut shown_prev = true;
    for (li, line) in lines.iter().enumerate() {
        if line.text.trim().is_empty() {
            continue;
        }
        let (here, cards) = (&touching[li], &cards[li]);
        if long && here.is_empty() {
            shown_prev = false;
            continue;
        }
        let block = block_at(blocks, line.start);
        out.push_str("<div class=\"para\">");
        if !shown_prev {
            out.push_str("<div class=\"gap\">……</div>");
            shown_prev = true;
        }
        if let Some(p) = block.and_then(|b| b.page)
            && page != Some(p)
        {
            page = Some(p);
            let _ = write!(out, "<div class=\"page-no\">第{p}页</div>");
        }
        let class = match block.map(|b| b.kind) {
            Some(BlockKind::Heading) => " class=\"heading\"",
            Some(BlockKind::TableCell) => " class=\"cell\"",
            Some(BlockKind::Header | BlockKind::Footer) => " class=\"furniture\"",
            _ => "",
        };
        let _ = write!(out, "<p{class}>");
        let line_spans: Vec<&Span> = here.iter().filter_map(|&k| spans.get(k)).collect();
        render_line(out, line.text, line.start, &line_spans, &mut opened, n);
        out.push_str("</p>");
        if !cards.is_empty() {
            out.push_str("<div class=\"findings\">");
            for &k in cards {
                if let Some(f) = review.findings.get(k) {
                    card(out, n, k + 1, f, standards, opened[k]);
                }
            }
            out.push_str("</div>");
        }
        out.push_str("</div>\n");
    }
    let orphans: Vec<usize> = (0..spans.len()).filter(|&k| !placed[k]).collect();
    if !orphans.is_empty() {
        out.push_str("<h3>未能在正文中定位的问题条款</h3>\n");
        for k in orphans {
            if let Some(f) = review.findings.get(k) {
                card(out, n, k + 1, f, standards, false);
            }
        }
    }
    out.push_str(if review.findings.is_empty() {
        "</details>\n"
    } else {
        "</div>\n"
    });
}

/// One finding. `marked`: its sentence is highlighted in the text shown, so
/// the card links there instead of quoting it.
fn card(out: &mut String, n: usize, k: usize, f: &Finding, standards: &Standards, marked: bool) {
    let _ = write!(
        out,
        "<article class=\"finding {}\" id=\"{}\" data-level=\"{}\" data-rule=\"",
        level_class(f.level),
        finding_id(n, k),
        f.level.as_str()
    );
    push_esc(out, &f.rule);
    out.push_str("\"><header>");
    if marked {
        let _ = write!(
            out,
            "<a class=\"num\" href=\"#{}\" title=\"跳到原文\">[{k}]</a> ",
            mark_id(n, k)
        );
    } else {
        let _ = write!(out, "<span class=\"num\">[{k}]</span> ");
    }
    let _ = write!(
        out,
        "<span class=\"level\">{}</span><span class=\"cite\">{}</span>",
        f.level.label(),
        esc(&item_citation(f))
    );
    let title = item_title(standards, f);
    if !title.is_empty() {
        out.push_str("<span class=\"item-title\">");
        push_esc(out, title);
        out.push_str("</span>");
    }
    out.push_str("</header><dl>");
    let mut clause = if f.clause.trim().is_empty() {
        "正文".to_string()
    } else {
        f.clause.clone()
    };
    if let Some(p) = f.page {
        clause.push_str(&format!("（第{p}页）"));
    }
    let mut row = |label: &str, class: &str, value: &str| {
        let _ = write!(out, "<dt>{label}</dt><dd class=\"{class}\">");
        push_esc(out, value);
        out.push_str("</dd>");
    };
    row("条款位置", "clause", &clause);
    if !marked {
        row("原文", "text", &f.text);
    }
    if !f.evidence.is_empty() {
        row("依据词", "evidence", &f.evidence.join("、"));
    }
    row("理由", "explanation", &f.explanation);
    row("修改建议", "suggestion", &f.suggestion);
    row(
        "规则",
        "rule",
        &format!("{}（置信度 {:.2}）", f.rule, f.confidence),
    );
    if f.ocr {
        row("注意", "ocr", "该句由图像文字识别得到，请对照原件核实。");
    }
    out.push_str("</dl></article>\n");
}

/// Conclusion of a review for tables: label and CSS class.
pub fn conclusion_tag(c: Option<Conclusion>) -> (&'static str, &'static str) {
    match c {
        Some(c) => (
            c.label(),
            match c {
                Conclusion::Publish => "c-adopt",
                Conclusion::Revise => "c-revise",
                Conclusion::Reject => "c-reject",
            },
        ),
        None => ("无法审查", "c-failed"),
    }
}
