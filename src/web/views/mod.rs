//! HTML building blocks. Pages are plain strings; every piece of text that
//! comes from a document, a file name or a request goes through [`push_esc`].

pub mod charts;
pub mod layout;
pub mod text;

use crate::document::numerals::to_chinese;
use crate::rules::Standards;

pub use crate::report::markup::{LEVELS, esc, file_name, level_class, push_esc};

/// `%XX`-encodes everything but unreserved characters (for links and
/// `filename*=`).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// 第八条第（一）项
pub fn item_citation(article: u8, item: u8) -> String {
    format!(
        "第{}条第（{}）项",
        to_chinese(u32::from(article)),
        to_chinese(u32::from(item))
    )
}

/// The item's title in the standards catalogue ("" when unknown).
pub fn item_title(standards: &Standards, article: u8, item: u8) -> &str {
    standards
        .item(article, item)
        .map_or("", |i| i.title.as_str())
}

/// Status names as reviewers say them.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "confirmed" => "已确认",
        "dismissed" => "已驳回",
        "fixed" => "已修改",
        _ => "待处理",
    }
}

/// Level counts as small coloured badges.
pub fn level_badges(out: &mut String, counts: [usize; 3]) {
    for (level, n) in LEVELS.iter().zip(counts) {
        if n > 0 {
            out.push_str(&format!(
                "<span class=\"badge {}\">{} {n}</span>",
                level_class(*level),
                level.label()
            ));
        }
    }
    if counts.iter().all(|n| *n == 0) {
        out.push_str("<span class=\"badge clean\">未发现问题</span>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_controls() {
        assert_eq!(
            esc("<script>alert('x')</script>&\"\u{7}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\u{FFFD}"
        );
        assert_eq!(
            url_encode("审查 a/b.docx"),
            "%E5%AE%A1%E6%9F%A5%20a%2Fb.docx"
        );
        assert_eq!(item_citation(8, 1), "第八条第（一）项");
    }
}
