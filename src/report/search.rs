//! Search results for the terminal (matches in colour on a tty) and as JSON
//! lines (matches in `<b>`).

use std::io::{self, Write};

use crate::document::numerals::to_chinese;
use crate::index::search::{FacetCount, Hit, SearchResults};
use crate::store::Status;

const BOLD_RED: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// Human-readable results; `color` wraps matches in terminal colour, otherwise
/// in 【】.
pub fn write_text(out: &mut dyn Write, r: &SearchResults, color: bool) -> io::Result<()> {
    writeln!(
        out,
        "“{}”：{} 个文件，{} 处问题（用时 {:.1} 毫秒）",
        r.query, r.documents_total, r.findings_total, r.took_ms
    )?;
    if !r.documents.is_empty() {
        writeln!(out, "\n文件")?;
    }
    for (n, h) in r.documents.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {} {}",
            n + 1,
            h.title.as_deref().unwrap_or("（无标题）"),
            meta_line(h)
        )?;
        writeln!(out, "     {}", h.path)?;
        if !h.fragment.is_empty() {
            writeln!(out, "     {}", highlight(h, color))?;
        }
    }
    if !r.findings.is_empty() {
        writeln!(out, "\n问题条款")?;
    }
    for (n, h) in r.findings.iter().enumerate() {
        let status = h
            .status
            .as_deref()
            .and_then(Status::parse)
            .map_or("待处理", |s| s.label());
        writeln!(
            out,
            "{:>3}. [{}] {} {} {}",
            n + 1,
            status,
            citation(h),
            h.clause.as_deref().unwrap_or_default(),
            h.fingerprint.as_deref().unwrap_or_default()
        )?;
        writeln!(
            out,
            "     {} {}",
            h.title.as_deref().unwrap_or_default(),
            h.path
        )?;
        if !h.fragment.is_empty() {
            writeln!(out, "     {}", highlight(h, color))?;
        }
        if let Some(reason) = &h.reason {
            writeln!(out, "     理由：{reason}")?;
        }
    }
    let facets: Vec<String> = [
        ("article", "条款"),
        ("level", "级别"),
        ("status", "状态"),
        ("issuer", "发文机关"),
        ("year", "年份"),
        ("format", "格式"),
    ]
    .iter()
    .filter_map(|(key, label)| {
        let counts = r.facets.get(*key).filter(|c| !c.is_empty())?;
        Some(format!("{label}：{}", facet_list(key, counts)))
    })
    .collect();
    if !facets.is_empty() {
        writeln!(out, "\n分面统计")?;
        for f in facets {
            writeln!(out, "  {f}")?;
        }
    }
    out.flush()
}

/// One JSON object per line: each document hit, each finding hit, then a
/// summary with the totals and facet counts.
pub fn write_jsonl(out: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
    for h in r.documents.iter().chain(&r.findings) {
        serde_json::to_writer(&mut *out, h)?;
        writeln!(out)?;
    }
    let summary = serde_json::json!({
        "kind": "summary",
        "query": r.query,
        "documents": r.documents_total,
        "findings": r.findings_total,
        "facets": r.facets,
        "took_ms": r.took_ms,
    });
    serde_json::to_writer(&mut *out, &summary)?;
    writeln!(out)?;
    out.flush()
}

fn meta_line(h: &Hit) -> String {
    [&h.doc_number, &h.issuer, &h.date]
        .iter()
        .filter_map(|v| v.as_deref())
        .collect::<Vec<_>>()
        .join("　")
}

fn citation(h: &Hit) -> String {
    match (h.article, h.item) {
        (Some(a), Some(i)) => format!(
            "第{}条第（{}）项",
            to_chinese(a as u32),
            to_chinese(i as u32)
        ),
        _ => String::new(),
    }
}

fn facet_list(key: &str, counts: &[FacetCount]) -> String {
    counts
        .iter()
        .take(8)
        .map(|c| {
            let name = match key {
                "article" => format!("第{}条", c.value),
                "status" => Status::parse(&c.value).map_or(c.value.clone(), |s| s.label().into()),
                "level" => match c.value.as_str() {
                    "error" => "错误".into(),
                    "warning" => "警告".into(),
                    "suggestion" => "提示".into(),
                    v => v.into(),
                },
                _ => c.value.clone(),
            };
            format!("{name} {}", c.count)
        })
        .collect::<Vec<_>>()
        .join("，")
}

/// The snippet with its matches marked; ranges that do not fall on character
/// boundaries are left unmarked rather than cut.
fn highlight(h: &Hit, color: bool) -> String {
    let (open, close) = if color {
        (BOLD_RED, RESET)
    } else {
        ("【", "】")
    };
    let text = h.fragment.replace('\n', " ");
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for r in &h.highlighted {
        let (Some(before), Some(hit)) = (text.get(at..r.start), text.get(r.start..r.end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(open);
        out.push_str(hit);
        out.push_str(close);
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}
