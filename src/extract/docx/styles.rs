//! `word/styles.xml`: which paragraph styles are headings and which carry
//! list numbering, following `w:basedOn` chains.

use std::collections::{HashMap, HashSet};

use super::super::xml::{SafeXml, XmlEvent, attr, local_name};
use super::super::{Context, ExtractError};
use super::parse_int;

/// The parts of one `w:style` that matter for extraction.
#[derive(Debug, Default, Clone)]
struct Style {
    name: Option<String>,
    based_on: Option<String>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
    outline_level: Option<i64>,
}

#[derive(Debug, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
}

/// Longest `basedOn` chain followed; real documents stay far below it.
const MAX_CHAIN: usize = 32;

impl Styles {
    pub fn parse(bytes: &[u8], part: &str, ctx: &Context) -> Result<Styles, ExtractError> {
        let mut xml = SafeXml::new(bytes, part, ctx);
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        let mut in_num_pr = false;
        loop {
            let (e, empty) = match xml.next()? {
                XmlEvent::Start(e) => (e, false),
                XmlEvent::Empty(e) => (e, true),
                XmlEvent::End(name) => {
                    match name.as_str() {
                        "style" => {
                            if let Some((id, style)) = current.take() {
                                styles.by_id.insert(id, style);
                            }
                        }
                        "numPr" => in_num_pr = false,
                        _ => {}
                    }
                    continue;
                }
                XmlEvent::Text(_) => continue,
                XmlEvent::Eof => break,
            };
            match local_name(&e) {
                "style" => {
                    let id = attr(&e, "styleId").unwrap_or_default();
                    let paragraph = attr(&e, "type").is_none_or(|t| t == "paragraph");
                    if paragraph && attr(&e, "default").is_some_and(|d| is_on(&d)) {
                        styles.default_paragraph = Some(id.clone());
                    }
                    if empty {
                        styles.by_id.insert(id, Style::default());
                    } else {
                        current = Some((id, Style::default()));
                    }
                }
                "numPr" if !empty => in_num_pr = true,
                name => {
                    let Some((_, style)) = current.as_mut() else {
                        continue;
                    };
                    let val = attr(&e, "val");
                    match name {
                        "name" => style.name = val,
                        "basedOn" => style.based_on = val,
                        "outlineLvl" => style.outline_level = val.as_deref().and_then(parse_int),
                        "numId" if in_num_pr => style.num_id = val.as_deref().and_then(parse_int),
                        "ilvl" if in_num_pr => style.ilvl = val.as_deref().and_then(parse_int),
                        _ => {}
                    }
                }
            }
        }
        Ok(styles)
    }

    /// The style a paragraph without `w:pStyle` uses.
    pub fn default_paragraph(&self) -> Option<&str> {
        self.default_paragraph.as_deref()
    }

    /// The style and its ancestors, nearest first, cycles cut.
    fn chain<'s>(&'s self, id: &'s str) -> impl Iterator<Item = (&'s str, Option<&'s Style>)> {
        let mut seen = HashSet::new();
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next.take()?;
            if seen.len() >= MAX_CHAIN || !seen.insert(id) {
                return None;
            }
            let style = self.by_id.get(id);
            next = style.and_then(|s| s.based_on.as_deref());
            Some((id, style))
        })
    }

    /// Whether a paragraph of this style is a heading: a title or heading style
    /// by name (also through `basedOn`), or a style with an outline level.
    pub fn is_heading(&self, id: &str) -> bool {
        self.chain(id).any(|(id, style)| match style {
            Some(s) => {
                s.name.as_deref().is_some_and(is_heading_name)
                    || s.outline_level.is_some_and(|l| (0..9).contains(&l))
            }
            // Undeclared built-in styles are known by their usual ids.
            None => is_heading_name(id),
        })
    }

    /// `(numId, ilvl)` a style gives its paragraphs; each taken from the nearest
    /// style in the chain that sets it.
    pub fn numbering(&self, id: &str) -> (Option<i64>, Option<i64>) {
        let mut num_id = None;
        let mut ilvl = None;
        for (_, style) in self.chain(id) {
            if let Some(s) = style {
                num_id = num_id.or(s.num_id);
                ilvl = ilvl.or(s.ilvl);
            }
        }
        (num_id, ilvl)
    }
}

/// `Title`, `heading 1` … `heading 9` (also `Heading1` as an id), and the
/// Chinese names used by Chinese word processors (标题, 标题 1, 一级标题 …).
fn is_heading_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    if n == "title" || n.contains("标题") {
        return true;
    }
    n.strip_prefix("heading")
        .map(str::trim_start)
        .is_some_and(|rest| rest.len() == 1 && rest.as_bytes()[0].is_ascii_digit())
}

/// OOXML on/off values: absent or anything but 0/false/off means on.
pub fn is_on(val: &str) -> bool {
    !matches!(val.trim(), "0" | "false" | "off")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    #[test]
    fn headings_and_numbering_follow_based_on() {
        let xml = r#"<w:styles xmlns:w="w">
          <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
          <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
          <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My chapter"/><w:basedOn w:val="1"/></w:style>
          <w:style w:type="paragraph" w:styleId="ListA"><w:name w:val="List A"/>
            <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="ListB"><w:name w:val="List B"/><w:basedOn w:val="ListA"/>
            <w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="Loop1"><w:basedOn w:val="Loop2"/></w:style>
          <w:style w:type="paragraph" w:styleId="Loop2"><w:basedOn w:val="Loop1"/></w:style>
        </w:styles>"#;
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let s = Styles::parse(xml.as_bytes(), "word/styles.xml", &ctx).unwrap();
        assert_eq!(s.default_paragraph(), Some("Normal"));
        assert!(s.is_heading("1"));
        assert!(s.is_heading("Mine"));
        assert!(s.is_heading("Heading2"));
        assert!(!s.is_heading("Normal"));
        assert!(!s.is_heading("Loop1"));
        assert_eq!(s.numbering("ListB"), (Some(9), Some(1)));
        assert_eq!(s.numbering("Normal"), (None, None));
        assert!(is_heading_name("标题 2"));
        assert!(!is_heading_name("headings"));
    }
}
