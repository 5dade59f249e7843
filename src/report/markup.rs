//! Markup helpers shared by the HTML report and the web workbench: one
//! escaping function for every piece of document text shown as HTML.

use crate::review::Level;

/// Appends `s` escaped for both text and attribute values. Control characters
/// that HTML forbids become U+FFFD so the page always parses the same way.
pub fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_esc(&mut out, s);
    out
}

/// CSS class of a level, shared by marks, cards and chart bars.
pub fn level_class(level: Level) -> &'static str {
    match level {
        Level::Error => "lv-error",
        Level::Warning => "lv-warning",
        Level::Suggestion => "lv-suggestion",
    }
}

/// Levels from the most to the least serious, the order of every display.
pub const LEVELS: [Level; 3] = [Level::Error, Level::Warning, Level::Suggestion];

/// The file name shown where space is short.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
