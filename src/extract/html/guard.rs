//! A cheap look at nesting before the HTML parser runs.
//!
//! The parser is iterative, but its scope checks scan the stack of open
//! elements, so each new tag costs time proportional to the current depth:
//! 20 000 nested `<div>`s take most of a second, a few hundred thousand take
//! minutes and the parser cannot be interrupted. Pages nested far beyond any
//! real layout are refused up front instead.

use crate::extract::{Context, ExtractError};

/// Estimated depth (elements that need an explicit end tag) above which a page
/// is refused, as a multiple of `max_depth`. Generous, because unclosed tags in
/// sloppy markup inflate the estimate.
const REFUSE_FACTOR: usize = 8;

pub fn check_nesting(html: &str, ctx: &Context) -> Result<(), ExtractError> {
    let bound = ctx.limits.max_depth.saturating_mul(REFUSE_FACTOR);
    if estimated_depth(html.as_bytes(), bound, ctx)? > bound {
        return Err(ExtractError::TooLarge(format!(
            "网页元素嵌套超过 {bound} 层，疑似异常文件"
        )));
    }
    Ok(())
}

/// Upper estimate of element nesting, counting only elements that stay open
/// until an end tag. Stops as soon as `bound` is exceeded.
pub fn estimated_depth(bytes: &[u8], bound: usize, ctx: &Context) -> Result<usize, ExtractError> {
    let (mut depth, mut max, mut foreign) = (0usize, 0usize, 0usize);
    let mut pos = 0;
    let mut tags = 0usize;
    while let Some(lt) = memchr::memchr(b'<', bytes.get(pos..).unwrap_or_default()) {
        tags += 1;
        if tags.is_multiple_of(4096) {
            ctx.deadline.check()?;
        }
        let at = pos + lt + 1;
        let rest = bytes.get(at..).unwrap_or_default();
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => {
                pos = at + find_or_end(rest, b"-->");
            }
            Some(b'!' | b'?') => pos = at + find_or_end(rest, b">"),
            Some(b'/') => {
                let name = tag_name(rest.get(1..).unwrap_or_default());
                if name == "svg" || name == "math" {
                    foreign = foreign.saturating_sub(1);
                }
                if needs_end_tag(&name) {
                    depth = depth.saturating_sub(1);
                }
                pos = at + find_or_end(rest, b">");
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = tag_name(rest);
                let (len, self_closing) = tag_length(rest);
                pos = at + len;
                if is_raw_text(&name) {
                    pos += raw_text_length(bytes.get(pos..).unwrap_or_default(), &name);
                    continue;
                }
                let closed = self_closing && foreign > 0;
                if (name == "svg" || name == "math") && !self_closing {
                    foreign += 1;
                }
                if needs_end_tag(&name) && !closed {
                    depth += 1;
                    max = max.max(depth);
                    if max > bound {
                        return Ok(max);
                    }
                }
            }
            _ => pos = at,
        }
    }
    Ok(max)
}

fn find_or_end(hay: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find(hay, needle).map_or(hay.len(), |i| i + needle.len())
}

fn tag_name(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .take(32)
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// Length of a start tag up to and including `>`, honouring quoted attribute
/// values, and whether it ends with `/>`.
fn tag_length(bytes: &[u8]) -> (usize, bool) {
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                let self_closing = i > 0 && bytes.get(i - 1) == Some(&b'/');
                return (i + 1, self_closing);
            }
            None => {}
        }
    }
    (bytes.len(), false)
}

/// Bytes up to and including the end tag of a raw-text element.
fn raw_text_length(bytes: &[u8], name: &str) -> usize {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(bytes.get(from..).unwrap_or_default(), b"</") {
        let start = from + i + 2;
        let candidate = bytes.get(start..start + name.len()).unwrap_or_default();
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return start;
        }
        from = start;
    }
    bytes.len()
}

fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// False for void elements and for those the parser closes implicitly.
fn needs_end_tag(name: &str) -> bool {
    !name.is_empty()
        && !matches!(
            name,
            "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "param"
                | "source"
                | "track"
                | "wbr"
                | "keygen"
                | "p"
                | "li"
                | "dt"
                | "dd"
                | "tr"
                | "td"
                | "th"
                | "thead"
                | "tbody"
                | "tfoot"
                | "colgroup"
                | "caption"
                | "option"
                | "optgroup"
                | "rb"
                | "rt"
                | "rp"
                | "rtc"
                | "html"
                | "head"
                | "body"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    fn depth(html: &str) -> usize {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        estimated_depth(html.as_bytes(), usize::MAX, &ctx).expect("no timeout")
    }

    #[test]
    fn estimate_follows_real_nesting() {
        assert_eq!(depth("<div><div><span>a</span></div></div><div></div>"), 3);
        assert_eq!(depth("<p>a<p>b<p>c<li>d<br><img src=x>"), 0);
        assert_eq!(depth(r#"<div title="a>b"><b>x</b></div>"#), 2);
    }

    #[test]
    fn comments_scripts_and_svg_shapes_do_not_count() {
        let html = r#"<!-- <div><div> --><script>var s = "<div><div><div>";</script>
            <svg><path d="M0"/><path d="M1"/></svg><style>div>p{}</style>"#;
        assert_eq!(depth(html), 1);
    }

    #[test]
    fn deep_pages_are_refused_quickly() {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let deep = "<div>".repeat(20_000);
        assert!(matches!(
            check_nesting(&deep, &ctx),
            Err(ExtractError::TooLarge(_))
        ));
        assert!(check_nesting(&"<div>".repeat(600), &ctx).is_ok());
    }
}
