//! `{{名称}}` placeholders in a Word template, replaced in the XML.
//!
//! Word often splits what was typed as one placeholder over several runs
//! (`{{措施` + `名称}}`). Within each paragraph that holds `{{`, the text of
//! all its `w:t` elements is read as one string; a placeholder's value is
//! written into the `w:t` where the placeholder starts and its characters are
//! removed from the others, so the runs' formatting stays as it was. A value
//! with line breaks becomes `w:br` breaks.

use quick_xml::Reader;
use quick_xml::escape::escape;
use quick_xml::events::Event;

use crate::annotate::comment::xml_safe;
use crate::extract::xml::local_name;
use crate::extract::{Context, ExtractError};

/// One `w:t` of the paragraph being read.
struct Piece {
    start: usize,
    content_end: usize,
    qname: String,
    text: Vec<char>,
}

/// A placeholder in a paragraph's text: character span and name.
struct Slot {
    start: usize,
    end: usize,
    name: String,
}

/// Replaces the placeholders of one XML part. `value` answers a name, or
/// `None` for a name it does not know (left empty and listed in `unknown`).
pub fn fill_part(
    bytes: &[u8],
    part: &str,
    ctx: &Context,
    value: &dyn Fn(&str) -> Option<String>,
    unknown: &mut Vec<String>,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // Open paragraphs: depth and their pieces.
    let mut paragraphs: Vec<(usize, Vec<Piece>)> = Vec::new();
    // Open `w:t`: depth.
    let mut open_text: Option<usize> = None;
    let mut depth = 0usize;
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) {
            ctx.deadline.check()?;
        }
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|e| ExtractError::Corrupt(format!("{part} 不是有效的 XML：{e}")))?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > ctx.limits.max_depth {
                    return Err(ExtractError::TooLarge(format!(
                        "{part} 的元素嵌套超过 {} 层",
                        ctx.limits.max_depth
                    )));
                }
                match local_name(&e) {
                    "p" => paragraphs.push((depth, Vec::new())),
                    "t" => {
                        if let Some((_, pieces)) = paragraphs.last_mut() {
                            pieces.push(Piece {
                                start: before,
                                content_end: after,
                                qname: e.name().into_inner().to_string(),
                                text: Vec::new(),
                            });
                            open_text = Some(depth);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                if open_text == Some(depth) {
                    open_text = None;
                    if let Some(piece) = paragraphs.last_mut().and_then(|(_, p)| p.last_mut()) {
                        piece.content_end = before;
                    }
                }
                if paragraphs.last().is_some_and(|(d, _)| *d == depth)
                    && let Some((_, pieces)) = paragraphs.pop()
                {
                    replace_in_paragraph(&pieces, value, unknown, &mut edits);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if open_text.is_some() => {
                if let Some(piece) = paragraphs.last_mut().and_then(|(_, p)| p.last_mut()) {
                    piece.text.extend(t.xml10_content().chars());
                }
            }
            Event::CData(t) if open_text.is_some() => {
                if let Some(piece) = paragraphs.last_mut().and_then(|(_, p)| p.last_mut()) {
                    piece.text.extend(t.xml10_content().chars());
                }
            }
            Event::GeneralRef(r) if open_text.is_some() => {
                if let Some(piece) = paragraphs.last_mut().and_then(|(_, p)| p.last_mut())
                    && let Some(c) = crate::annotate::resolve_ref(&r)
                {
                    piece.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if edits.is_empty() {
        return Ok(None);
    }
    edits.sort_by_key(|e| e.0);
    let mut out = Vec::with_capacity(bytes.len() + edits.iter().map(|e| e.2.len()).sum::<usize>());
    let mut cursor = 0;
    for (start, end, text) in edits {
        let (Some(head), true) = (bytes.get(cursor..start), end >= start) else {
            return Err(ExtractError::Corrupt(format!("{part} 的占位符无法替换")));
        };
        out.extend_from_slice(head);
        out.extend_from_slice(text.as_bytes());
        cursor = end;
    }
    out.extend_from_slice(bytes.get(cursor..).unwrap_or_default());
    Ok(Some(out))
}

/// Finds the placeholders of one paragraph and queues the rewritten `w:t`s.
fn replace_in_paragraph(
    pieces: &[Piece],
    value: &dyn Fn(&str) -> Option<String>,
    unknown: &mut Vec<String>,
    edits: &mut Vec<(usize, usize, String)>,
) {
    let all: Vec<char> = pieces.iter().flat_map(|p| p.text.iter().copied()).collect();
    let slots = find_slots(&all);
    if slots.is_empty() {
        return;
    }
    let mut offset = 0;
    for piece in pieces {
        let range = offset..offset + piece.text.len();
        offset = range.end;
        if !slots
            .iter()
            .any(|s| s.start < range.end && s.end > range.start)
        {
            continue;
        }
        let mut text = String::new();
        for (g, &c) in range.clone().zip(&piece.text) {
            match slots.iter().find(|s| s.start <= g && g < s.end) {
                Some(slot) if slot.start == g => {
                    let v = value(&slot.name).unwrap_or_else(|| {
                        if !unknown.contains(&slot.name) {
                            unknown.push(slot.name.clone());
                        }
                        String::new()
                    });
                    text.push_str(&v);
                }
                Some(_) => {}
                None => text.push(c),
            }
        }
        let prefix = piece
            .qname
            .rsplit_once(':')
            .map_or(String::new(), |(p, _)| format!("{p}:"));
        let open = format!("<{} xml:space=\"preserve\">", piece.qname);
        let lines: Vec<String> = xml_safe(&text)
            .split('\n')
            .map(|l| escape(l).into_owned())
            .collect();
        let content = lines.join(&format!("</{}><{prefix}br/>{open}", piece.qname));
        edits.push((piece.start, piece.content_end, format!("{open}{content}")));
    }
}

/// `{{name}}` spans; a `{{` inside an unfinished one starts over.
fn find_slots(text: &[char]) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut i = 0;
    while i + 1 < text.len() {
        if text[i] != '{' || text[i + 1] != '{' {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        let mut found = None;
        while j + 1 < text.len() {
            if text[j] == '{' && text[j + 1] == '{' {
                break;
            }
            if text[j] == '}' && text[j + 1] == '}' {
                found = Some(j);
                break;
            }
            j += 1;
        }
        match found {
            Some(j) => {
                let name: String = text[i + 2..j].iter().collect();
                slots.push(Slot {
                    start: i,
                    end: j + 2,
                    name: name.trim().to_string(),
                });
                i = j + 2;
            }
            None => i = j,
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    fn fill(xml: &str, value: &dyn Fn(&str) -> Option<String>) -> (String, Vec<String>) {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let mut unknown = Vec::new();
        let out = fill_part(xml.as_bytes(), "t.xml", &ctx, value, &mut unknown)
            .unwrap()
            .map(|b| String::from_utf8(b).unwrap())
            .unwrap_or_else(|| xml.to_string());
        (out, unknown)
    }

    #[test]
    fn placeholders_split_over_runs_are_replaced() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>名称：{{措</w:t></w:r><w:r><w:t>施名称}</w:t></w:r><w:r><w:t>}。{{未知}}{{8-1.是否}}</w:t></w:r></w:p><w:p><w:r><w:t>{ 单独 }</w:t></w:r></w:p></w:body></w:document>"#;
        let (out, unknown) = fill(xml, &|name| match name {
            "措施名称" => Some("关于A&B的通知".into()),
            "8-1.是否" => Some("是\n见第三条".into()),
            _ => None,
        });
        assert_eq!(unknown, ["未知"]);
        assert!(out.contains(
            r#"<w:rPr><w:b/></w:rPr><w:t xml:space="preserve">名称：关于A&amp;B的通知</w:t>"#
        ));
        assert!(out.contains(r#"<w:t xml:space="preserve"></w:t></w:r><w:r><w:t xml:space="preserve">。是</w:t><w:br/><w:t xml:space="preserve">见第三条</w:t>"#), "{out}");
        assert!(out.contains("<w:t>{ 单独 }</w:t>"));
        assert!(!out.contains("{{"));
        assert!(crate::annotate::package::well_formed(out.as_bytes()));
    }

    #[test]
    fn slots() {
        let chars: Vec<char> = "a{{x}}b{{ y }}{{z".chars().collect();
        let names: Vec<String> = find_slots(&chars).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["x", "y"]);
        let chars: Vec<char> = "{{a{{b}}".chars().collect();
        let names: Vec<String> = find_slots(&chars).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["b"]);
    }
}
