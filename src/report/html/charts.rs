//! Horizontal bar charts drawn as inline SVG: one row per category, each bar
//! stacked by level, its length proportional to the category's count.

use std::fmt::Write as _;

use super::LevelCounts;
use super::page::{LEVELS, level_class, push_esc};

/// One row of a chart.
pub struct Bar {
    /// Shown left of the bar (shortened to fit).
    pub label: String,
    /// Full wording, shown on hover.
    pub tooltip: String,
    /// Where the label links to, e.g. a document's anchor.
    pub href: Option<String>,
    pub counts: LevelCounts,
}

const BAR_W: f64 = 340.0;
const VALUE_W: f64 = 56.0;
const ROW_H: f64 = 26.0;
const BAR_H: f64 = 16.0;
const PAD: f64 = 4.0;
/// Approximate advance of a character at 13px, for shortening labels.
const WIDE: f64 = 13.0;
const NARROW: f64 = 7.5;

/// A chart's look: its name for readers and tests (`data-chart`), caption,
/// room for labels, and whether it spans the whole row.
pub struct Chart<'a> {
    pub kind: &'a str,
    pub caption: &'a str,
    pub label_width: f64,
    pub wide: bool,
    pub note: Option<&'a str>,
}

/// Appends a `<figure>` with one `<svg>`.
pub fn bar_chart(out: &mut String, chart: &Chart, bars: &[Bar]) {
    let Chart {
        kind,
        caption,
        label_width: label_w,
        wide,
        note,
    } = *chart;
    let max = bars.iter().map(|b| b.counts.total()).max().unwrap_or(0);
    let width = label_w + BAR_W + VALUE_W;
    let height = PAD * 2.0 + ROW_H * bars.len() as f64;
    let _ = write!(
        out,
        "<figure class=\"chart{}\" data-chart=\"{kind}\"><figcaption>",
        if wide { " wide" } else { "" }
    );
    push_esc(out, caption);
    out.push_str("</figcaption>\n");
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\""
    );
    push_esc(out, caption);
    out.push_str("\">\n");
    for (row, bar) in bars.iter().enumerate() {
        let y = PAD + ROW_H * row as f64;
        let bar_y = y + (ROW_H - BAR_H) / 2.0;
        let text_y = y + ROW_H / 2.0 + 4.5;
        let total = bar.counts.total();
        out.push_str("<g class=\"bar\" data-label=\"");
        push_esc(out, &bar.tooltip);
        let _ = write!(out, "\" data-count=\"{total}\"><title>");
        push_esc(out, &bar.tooltip);
        let _ = write!(out, "：{total} 处");
        for level in LEVELS {
            let n = bar.counts.get(level);
            if n > 0 && n < total {
                let _ = write!(out, "，{}{n}", level.label());
            }
        }
        out.push_str("</title>");
        if let Some(href) = &bar.href {
            out.push_str("<a href=\"");
            push_esc(out, href);
            out.push_str("\">");
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{text_y:.1}\" text-anchor=\"end\">",
            label_w - 8.0
        );
        push_esc(out, &fit(&bar.label, label_w - 12.0));
        out.push_str("</text>");
        if bar.href.is_some() {
            out.push_str("</a>");
        }
        let _ = write!(
            out,
            "<rect class=\"track\" x=\"{label_w}\" y=\"{bar_y:.1}\" width=\"{BAR_W}\" height=\"{BAR_H}\"/>"
        );
        let mut x = label_w;
        for level in LEVELS {
            let n = bar.counts.get(level);
            if n == 0 || max == 0 {
                continue;
            }
            let w = n as f64 / max as f64 * BAR_W;
            let _ = write!(
                out,
                "<rect class=\"seg {}\" data-level=\"{}\" x=\"{x:.2}\" y=\"{bar_y:.1}\" width=\"{w:.2}\" height=\"{BAR_H}\"/>",
                level_class(level),
                level.as_str()
            );
            x += w;
        }
        let _ = writeln!(
            out,
            "<text class=\"value\" x=\"{:.1}\" y=\"{text_y:.1}\">{total}</text></g>",
            label_w + BAR_W + 6.0
        );
    }
    out.push_str("</svg>");
    if let Some(note) = note {
        out.push_str("<p class=\"notice\">");
        push_esc(out, note);
        out.push_str("</p>");
    }
    out.push_str("</figure>\n");
}

/// Shortens a label to about `max_px`, ending with an ellipsis when cut.
fn fit(label: &str, max_px: f64) -> String {
    let advance = |c: char| if (c as u32) >= 0x2E80 { WIDE } else { NARROW };
    let total: f64 = label.chars().map(advance).sum();
    if total <= max_px {
        return label.to_string();
    }
    let mut out = String::new();
    let mut used = WIDE;
    for c in label.chars() {
        used += advance(c);
        if used > max_px {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_long_labels_only() {
        assert_eq!(fit("市场准入和退出", 238.0), "市场准入和退出");
        let long = "阻碍外地或者进口商品、要素进入本地，或者阻碍本地经营者迁出、商品要素流出";
        let short = fit(long, 238.0);
        assert!(short.ends_with('…') && short.chars().count() < long.chars().count());
    }
}
