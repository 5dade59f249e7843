//! Horizontal bar charts as inline SVG (no script): one row per category,
//! each bar stacked by level and proportional to the category's count.

use std::fmt::Write as _;

use super::{LEVELS, level_class, push_esc};

/// One row: a label and counts by level (error, warning, suggestion).
pub struct Bar {
    pub label: String,
    pub counts: [usize; 3],
}

const LABEL_W: f64 = 190.0;
const BAR_W: f64 = 300.0;
const VALUE_W: f64 = 48.0;
const ROW_H: f64 = 24.0;
const BAR_H: f64 = 15.0;
/// Longest label, in characters.
const LABEL_CHARS: usize = 14;

/// Appends a `<figure>` holding the chart (or a note when there is nothing).
pub fn bar_chart(out: &mut String, kind: &str, caption: &str, bars: &[Bar]) {
    let _ = write!(
        out,
        "<figure class=\"chart\" data-chart=\"{kind}\"><figcaption>"
    );
    push_esc(out, caption);
    out.push_str("</figcaption>");
    if bars.is_empty() {
        out.push_str("<p class=\"muted\">暂无数据</p></figure>");
        return;
    }
    let max = bars
        .iter()
        .map(|b| b.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = LABEL_W + BAR_W + VALUE_W;
    let height = ROW_H * bars.len() as f64 + 6.0;
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\""
    );
    push_esc(out, caption);
    out.push_str("\">");
    for (row, bar) in bars.iter().enumerate() {
        let y = 3.0 + ROW_H * row as f64;
        let total: usize = bar.counts.iter().sum();
        let _ = write!(
            out,
            "<g><title>{}：{total}</title><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">",
            super::esc(&bar.label),
            LABEL_W - 6.0,
            y + BAR_H - 3.0
        );
        let short: String = bar.label.chars().take(LABEL_CHARS).collect();
        push_esc(out, &short);
        if bar.label.chars().count() > LABEL_CHARS {
            out.push('…');
        }
        out.push_str("</text>");
        let mut x = LABEL_W;
        for (level, n) in LEVELS.iter().zip(bar.counts) {
            if n == 0 {
                continue;
            }
            let w = BAR_W * n as f64 / max as f64;
            let _ = write!(
                out,
                "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_H}\"/>",
                level_class(*level)
            );
            x += w;
        }
        let _ = write!(
            out,
            "<text class=\"value\" x=\"{:.1}\" y=\"{}\">{total}</text></g>",
            x + 5.0,
            y + BAR_H - 3.0
        );
    }
    out.push_str("</svg></figure>");
}
