//! A hardened XML event stream for the container formats (docx, ofd).
//!
//! Entity expansion is off: only the five predefined entities and character
//! references are resolved; any other `&name;` is dropped (billion laughs, XXE).
//! Element depth and the extraction deadline are checked as events arrive.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Context, ExtractError};
use crate::limits::Deadline;

/// Simplified events: text already resolved, declarations and comments skipped.
#[derive(Debug)]
pub enum XmlEvent<'a> {
    Start(BytesStart<'a>),
    /// A self-closing element, e.g. `<w:tab/>`.
    Empty(BytesStart<'a>),
    /// Local name (prefix stripped) of the closed element.
    End(String),
    Text(Cow<'a, str>),
    Eof,
}

pub struct SafeXml<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    max_depth: usize,
    deadline: Deadline,
    events: u32,
    part: String,
}

impl<'a> SafeXml<'a> {
    /// `part` names the XML part in error messages (e.g. `word/document.xml`).
    pub fn new(bytes: &'a [u8], part: &str, ctx: &Context) -> Self {
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        SafeXml {
            reader,
            depth: 0,
            max_depth: ctx.limits.max_depth,
            deadline: ctx.deadline,
            events: 0,
            part: part.to_string(),
        }
    }

    /// Current element depth (0 at the document root's parent).
    pub fn depth(&self) -> usize {
        self.depth
    }

    // Not an Iterator: every step can fail, and Eof is an event, not the end.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<XmlEvent<'a>, ExtractError> {
        loop {
            self.events = self.events.wrapping_add(1);
            if self.events.is_multiple_of(4096) {
                self.deadline.check()?;
            }
            let ev = self
                .reader
                .read_event()
                .map_err(|e| ExtractError::Corrupt(format!("{} 不是有效的 XML：{e}", self.part)))?;
            return Ok(match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(ExtractError::TooLarge(format!(
                            "{} 的元素嵌套超过 {} 层",
                            self.part, self.max_depth
                        )));
                    }
                    XmlEvent::Start(e)
                }
                Event::Empty(e) => XmlEvent::Empty(e),
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    XmlEvent::End(strip_prefix(e.name().into_inner()).to_string())
                }
                Event::Text(t) => XmlEvent::Text(t.xml10_content()),
                Event::CData(t) => XmlEvent::Text(t.xml10_content()),
                Event::GeneralRef(r) => match resolve_ref(&r) {
                    Some(c) => XmlEvent::Text(Cow::Owned(c.to_string())),
                    None => continue,
                },
                Event::Eof => XmlEvent::Eof,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            });
        }
    }
}

/// Predefined entities and character references only; anything else is not expanded.
fn resolve_ref(r: &quick_xml::events::BytesRef) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match r.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Local part of an element name: `w:p` → `p`.
pub fn local_name<'b>(e: &'b BytesStart) -> &'b str {
    strip_prefix(e.name().into_inner())
}

fn strip_prefix(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// Value of an attribute matched by local name (`w:val` and `val` both match `val`).
pub fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (strip_prefix(a.key.into_inner()) == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn texts(xml: &str) -> Result<String, ExtractError> {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let mut r = SafeXml::new(xml.as_bytes(), "test.xml", &ctx);
        let mut out = String::new();
        loop {
            match r.next()? {
                XmlEvent::Text(t) => out.push_str(&t),
                XmlEvent::Eof => return Ok(out),
                _ => {}
            }
        }
    }

    #[test]
    fn entities_are_not_expanded() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]><r>&b;&x;&amp;&#x4E2D;文</r>"#;
        assert_eq!(texts(bomb).unwrap(), "&中文");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "<a>".repeat(20_000) + &"</a>".repeat(20_000);
        assert!(matches!(texts(&deep), Err(ExtractError::TooLarge(_))));
    }
}
