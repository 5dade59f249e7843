//! Tree helpers shared by the content finder and the block emitter.
//!
//! Every walk here is iterative (first-child / next-sibling / parent links), so
//! pathological nesting costs heap, never stack.

use scraper::{ElementRef, Node};

use crate::limits::Deadline;

use crate::extract::ExtractError;

/// One step of a document-order walk.
pub enum Visit<'a> {
    Open(ElementRef<'a>),
    Text(&'a str),
    /// Sent after the children of an element the visitor chose to descend into.
    Close(ElementRef<'a>),
}

/// What the visitor wants done with an element it was shown.
#[derive(PartialEq, Eq)]
pub enum Flow {
    Descend,
    Skip,
}

/// Walks `root` in document order. Elements deeper than `max_depth` (counted
/// from the `<html>` element, which has depth 1) are skipped; the return value
/// says whether anything was cut that way.
pub fn walk<'a>(
    root: ElementRef<'a>,
    max_depth: usize,
    deadline: &Deadline,
    mut visit: impl FnMut(Visit<'a>) -> Flow,
) -> Result<bool, ExtractError> {
    let root_node = *root;
    let mut node = root_node;
    let mut depth = depth_of(root);
    let mut cut = false;
    let mut steps = 0usize;
    'walk: loop {
        steps += 1;
        if steps.is_multiple_of(2048) {
            deadline.check()?;
        }
        match node.value() {
            Node::Text(text) => {
                visit(Visit::Text(text));
            }
            Node::Element(_) => {
                if let Some(el) = ElementRef::wrap(node) {
                    if depth > max_depth {
                        cut = true;
                    } else if visit(Visit::Open(el)) == Flow::Descend {
                        if let Some(child) = node.first_child() {
                            node = child;
                            depth += 1;
                            continue 'walk;
                        }
                        visit(Visit::Close(el));
                    }
                }
            }
            _ => {}
        }
        // Move on: next sibling, or climb and close finished parents.
        loop {
            if node == root_node {
                break 'walk;
            }
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                continue 'walk;
            }
            match node.parent() {
                Some(parent) => {
                    node = parent;
                    depth = depth.saturating_sub(1);
                    if let Some(el) = ElementRef::wrap(node) {
                        visit(Visit::Close(el));
                    }
                }
                None => break 'walk,
            }
        }
    }
    Ok(cut)
}

/// Number of element ancestors plus one (`<html>` has depth 1).
pub fn depth_of(el: ElementRef) -> usize {
    let mut depth = 1;
    let mut node = el.parent();
    while let Some(parent) = node {
        if parent.value().is_element() {
            depth += 1;
        }
        node = parent.parent();
    }
    depth
}

/// A stable identity for an element while the tree is borrowed: the address of
/// its data inside the tree's arena.
pub fn key(el: ElementRef) -> usize {
    std::ptr::from_ref(el.value()).addr()
}

pub fn tag<'a>(el: ElementRef<'a>) -> &'a str {
    el.value().name()
}

pub fn parent_element(el: ElementRef) -> Option<ElementRef> {
    el.parent().and_then(ElementRef::wrap)
}

/// Elements whose content is never document text.
pub fn is_non_content_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "input"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "applet"
            | "svg"
            | "math"
            | "canvas"
            | "map"
            | "audio"
            | "video"
            | "nav"
            | "footer"
            | "aside"
            | "dialog"
            | "menu"
    )
}

/// Elements that start a new line of text.
pub fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "main"
            | "figure"
            | "figcaption"
            | "address"
            | "center"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
            | "hr"
            | "br"
            | "body"
            | "html"
    )
}

pub fn is_heading_tag(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Hidden by attribute or inline style; such text is not shown to readers.
pub fn is_hidden(el: ElementRef) -> bool {
    let e = el.value();
    if e.attr("hidden").is_some() {
        return true;
    }
    if e.attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if e.attr("type")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    match e.attr("style") {
        Some(style) => {
            let compact: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            compact.contains("display:none") || compact.contains("visibility:hidden")
        }
        None => false,
    }
}

/// `id`/`class` names portals give to navigation, breadcrumbs, share bars,
/// font-size widgets, related links and footers.
pub fn has_boilerplate_name(el: ElementRef) -> bool {
    let e = el.value();
    [e.id(), e.attr("class")]
        .into_iter()
        .flatten()
        .flat_map(str::split_ascii_whitespace)
        .any(is_boilerplate_token)
}

fn is_boilerplate_token(token: &str) -> bool {
    const WHOLE: &[&str] = &[
        "breadcrumb",
        "crumb",
        "bdshare",
        "jiathis",
        "copyright",
        "fontsize",
        "xglj",
        "xgwz",
    ];
    const SEGMENTS: &[&str] = &[
        "nav",
        "navbar",
        "navigation",
        "menu",
        "submenu",
        "bread",
        "share",
        "sharebar",
        "bshare",
        "footer",
        "foot",
        "related",
        "relate",
        "zihao",
        "sidebar",
        "toolbar",
        "topbar",
        "dqwz",
    ];
    let lower = token.to_ascii_lowercase();
    if WHOLE.iter().any(|w| lower.contains(w)) {
        return true;
    }
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|s| s.trim_end_matches(|c: char| c.is_ascii_digit()))
        .any(|s| SEGMENTS.contains(&s))
}

/// CJK ideographs: the text that carries a Chinese document.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Ideographs plus CJK punctuation and full-width forms.
pub fn is_cjk_like(c: char) -> bool {
    is_cjk(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn first<'a>(doc: &'a Html, name: &str) -> ElementRef<'a> {
        doc.tree
            .nodes()
            .filter_map(ElementRef::wrap)
            .find(|e| tag(*e) == name)
            .expect("element present in test markup")
    }

    #[test]
    fn walk_visits_in_document_order_and_closes_elements() {
        let doc = Html::parse_document("<div><p>甲<b>乙</b></p><p>丙</p></div>");
        let mut seen = Vec::new();
        let root = first(&doc, "div");
        let cut = walk(
            root,
            100,
            &Deadline::after(std::time::Duration::from_secs(5)),
            |v| {
                match v {
                    Visit::Open(e) => seen.push(format!("<{}>", tag(e))),
                    Visit::Close(e) => seen.push(format!("</{}>", tag(e))),
                    Visit::Text(t) => seen.push(t.to_string()),
                }
                Flow::Descend
            },
        )
        .expect("no timeout");
        assert!(!cut);
        assert_eq!(seen.join(""), "<div><p>甲<b>乙</b></p><p>丙</p></div>");
    }

    #[test]
    fn boilerplate_names_match_segments_not_substrings() {
        let doc = Html::parse_document(
            r#"<div class="main-nav">a</div><div class="canvas-box">b</div>
               <div id="bdsharebuttonbox">c</div><div class="footnote">d</div>"#,
        );
        let names: Vec<bool> = doc
            .tree
            .nodes()
            .filter_map(ElementRef::wrap)
            .filter(|e| tag(*e) == "div")
            .map(has_boilerplate_name)
            .collect();
        assert_eq!(names, [true, false, true, false]);
    }

    #[test]
    fn hidden_elements_are_recognised() {
        let doc = Html::parse_document(
            r#"<p style="DISPLAY: none">a</p><p hidden>b</p><p style="color:red">c</p>"#,
        );
        let hidden: Vec<bool> = doc
            .tree
            .nodes()
            .filter_map(ElementRef::wrap)
            .filter(|e| tag(*e) == "p")
            .map(is_hidden)
            .collect();
        assert_eq!(hidden, [true, true, false]);
    }
}
