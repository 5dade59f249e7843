//! The article title when it sits just above the content container
//! (`<div class="article-title">` followed by the info line and `#zoom`).

use scraper::{ElementRef, Node};

use super::boilerplate::is_furniture_line;
use super::dom::{has_boilerplate_name, is_hidden, is_non_content_tag, parent_element, tag};

/// Lines that start like this are the info line, not a title.
const INFO_STARTS: &[&str] = &[
    "发布时间",
    "发布日期",
    "来源",
    "信息来源",
    "作者",
    "时间",
    "日期",
    "浏览",
    "点击",
];

/// Banner headings end like this.
const SITE_ENDS: &[&str] = &["网站", "门户", "官网", "政务网"];

/// The article title sitting right above the content (previous siblings of
/// the content or of its near ancestors).
pub fn title_above(root: ElementRef) -> Option<ElementRef> {
    let mut node = root;
    for _ in 0..3 {
        let mut sibling = node.prev_sibling();
        let mut seen = 0;
        while let Some(s) = sibling {
            sibling = s.prev_sibling();
            let Some(el) = ElementRef::wrap(s) else {
                continue;
            };
            seen += 1;
            if seen > 6 {
                break;
            }
            if is_non_content_tag(tag(el)) || is_hidden(el) || has_boilerplate_name(el) {
                continue;
            }
            let found = el
                .descendants()
                .take(400)
                .filter_map(ElementRef::wrap)
                .filter(|e| is_title_like(*e))
                .last();
            if found.is_some() {
                return found;
            }
        }
        node = parent_element(node)?;
        if matches!(tag(node), "body" | "html") {
            break;
        }
    }
    None
}

fn is_title_like(el: ElementRef) -> bool {
    let named_title = [el.value().id(), el.value().attr("class")]
        .into_iter()
        .flatten()
        .flat_map(str::split_ascii_whitespace)
        .any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("title")
                || t.split(['-', '_'])
                    .any(|s| matches!(s, "tit" | "bt" | "biaoti"))
        });
    if !(matches!(tag(el), "h1" | "h2" | "h3") || named_title) || is_hidden(el) {
        return false;
    }
    let Some(text) = short_text(el, 150) else {
        return false;
    };
    text.chars().count() >= 6
        && !INFO_STARTS.iter().any(|s| text.starts_with(s))
        && !SITE_ENDS.iter().any(|s| text.ends_with(s))
        && !is_furniture_line(&text)
}

/// The element's text with whitespace collapsed, or `None` when it is longer
/// than `max_chars` (or spread over too many nodes to be a title).
fn short_text(el: ElementRef, max_chars: usize) -> Option<String> {
    let mut text = String::new();
    let mut chars = 0;
    for node in el.descendants().take(2000) {
        if let Node::Text(t) = node.value() {
            text.push_str(t);
            chars += t.chars().count();
            if chars > max_chars * 4 {
                return None;
            }
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (text.chars().count() <= max_chars).then_some(text)
}
