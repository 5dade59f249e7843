//! Package plumbing for writing: small XML parts (relationships, content
//! types, comments) read and extended in place, and the zip rewritten with
//! every untouched part copied byte for byte.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::extract::archive::Archive;
use crate::extract::xml::local_name;
use crate::extract::{Context, ExtractError};

pub const COMMENTS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const REL_TRANSITIONAL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
const REL_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships/";
const RELS_NAMESPACE: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// A small XML part: its root and the attributes of every other element.
#[derive(Debug, Default)]
pub struct SmallPart {
    /// Root prefix with its colon (`w:`), empty for a default namespace.
    pub prefix: String,
    root_qname: String,
    /// Start of `</root>`.
    root_end: Option<usize>,
    /// Span of the root tag when it is empty (`<Relationships/>`).
    empty_root: Option<(usize, usize)>,
    /// Elements below the root by local name, attributes by local name.
    pub elements: Vec<(String, HashMap<String, String>)>,
}

impl SmallPart {
    pub fn parse(bytes: &[u8], part: &str, ctx: &Context) -> Result<SmallPart, ExtractError> {
        let mut reader = Reader::from_reader(bytes);
        reader.config_mut().trim_text(false);
        let mut out = SmallPart::default();
        let mut depth = 0usize;
        let mut events = 0u32;
        loop {
            events = events.wrapping_add(1);
            if events.is_multiple_of(4096) {
                ctx.deadline.check()?;
            }
            let before = position(&reader);
            let event = reader
                .read_event()
                .map_err(|e| ExtractError::Corrupt(format!("{part} 不是有效的 XML：{e}")))?;
            let after = position(&reader);
            match event {
                Event::Start(e) => {
                    out.element(&e, depth, (before, after), false);
                    depth += 1;
                    if depth > ctx.limits.max_depth {
                        return Err(ExtractError::TooLarge(format!(
                            "{part} 的元素嵌套超过 {} 层",
                            ctx.limits.max_depth
                        )));
                    }
                }
                Event::Empty(e) => out.element(&e, depth, (before, after), true),
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        out.root_end = Some(before);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if out.root_qname.is_empty() || (out.root_end.is_none() && out.empty_root.is_none()) {
            return Err(ExtractError::Corrupt(format!("{part} 没有完整的根元素")));
        }
        Ok(out)
    }

    fn element(&mut self, e: &BytesStart, depth: usize, span: (usize, usize), empty: bool) {
        if depth == 0 {
            if self.root_qname.is_empty() {
                let qname = e.name().into_inner().to_string();
                self.prefix = qname
                    .rsplit_once(':')
                    .map_or(String::new(), |(p, _)| format!("{p}:"));
                self.root_qname = qname;
                if empty {
                    self.empty_root = Some(span);
                }
            }
            return;
        }
        let attrs = e
            .attributes()
            .flatten()
            .map(|a| {
                let key = a.key.into_inner();
                let key = key.rsplit_once(':').map_or(key, |(_, l)| l);
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.to_string());
                (key.to_string(), value)
            })
            .collect();
        self.elements.push((local_name(e).to_string(), attrs));
    }

    /// Values of `attr` on elements named `local`.
    pub fn values<'a>(&'a self, local: &'a str, attr: &'a str) -> impl Iterator<Item = &'a str> {
        self.elements
            .iter()
            .filter(move |(name, _)| name == local)
            .filter_map(move |(_, attrs)| attrs.get(attr).map(String::as_str))
    }

    /// The part with `children` added as the root's last children.
    pub fn append(&self, bytes: &[u8], children: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(bytes.len() + children.len() + 16);
        if let Some(end) = self.root_end {
            out.extend_from_slice(bytes.get(..end)?);
            out.extend_from_slice(children.as_bytes());
            out.extend_from_slice(bytes.get(end..)?);
        } else {
            let (start, stop) = self.empty_root?;
            let tag = std::str::from_utf8(bytes.get(start..stop)?).ok()?;
            let open = tag.strip_suffix("/>")?.trim_end();
            out.extend_from_slice(bytes.get(..start)?);
            out.extend_from_slice(format!("{open}>{children}</{}>", self.root_qname).as_bytes());
            out.extend_from_slice(bytes.get(stop..)?);
        }
        Some(out)
    }
}

fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// One relationship of a `.rels` part.
#[derive(Debug, Clone)]
pub struct Rel {
    pub id: String,
    /// Full type URI.
    pub kind: String,
    pub target: String,
    pub external: bool,
}

pub fn relationships(part: &SmallPart) -> Vec<Rel> {
    part.elements
        .iter()
        .filter(|(name, _)| name == "Relationship")
        .filter_map(|(_, a)| {
            Some(Rel {
                id: a.get("Id")?.clone(),
                kind: a.get("Type")?.clone(),
                target: a.get("Target")?.clone(),
                external: a
                    .get("TargetMode")
                    .is_some_and(|m| m.eq_ignore_ascii_case("external")),
            })
        })
        .collect()
}

/// Last segment of a relationship type (`…/comments` → `comments`).
pub fn rel_kind(rel: &Rel) -> &str {
    rel.kind.rsplit('/').next().unwrap_or_default()
}

/// The relationship type URI for `kind`, strict when the part already uses strict ones.
pub fn rel_type(existing: &[Rel], kind: &str) -> String {
    let strict = existing.iter().any(|r| r.kind.starts_with(REL_STRICT));
    format!(
        "{}{kind}",
        if strict { REL_STRICT } else { REL_TRANSITIONAL }
    )
}

/// An id not used by any relationship: `rId` + one more than the highest number.
pub fn free_rel_id(existing: &[Rel]) -> String {
    let highest = existing
        .iter()
        .filter_map(|r| r.id.strip_prefix("rId")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = highest + 1;
    while existing.iter().any(|r| r.id == format!("rId{n}")) {
        n += 1;
    }
    format!("rId{n}")
}

/// A `.rels` part holding one relationship, for a part that had none.
pub fn new_rels(id: &str, kind: &str, target: &str) -> Vec<u8> {
    format!(
        "{XML_DECLARATION}<Relationships xmlns=\"{RELS_NAMESPACE}\">{}</Relationships>",
        relationship("", id, kind, target)
    )
    .into_bytes()
}

pub fn relationship(prefix: &str, id: &str, kind: &str, target: &str) -> String {
    use quick_xml::escape::escape;
    format!(
        "<{prefix}Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
        escape(id),
        escape(kind),
        escape(target)
    )
}

/// Relationship targets resolve as the reader resolves them.
pub use crate::extract::docx::package::resolve;

/// `word/document.xml` → (`word`, `word/_rels/document.xml.rels`).
pub fn folder_and_rels(part: &str) -> (&str, String) {
    match part.rsplit_once('/') {
        Some((dir, file)) => (dir, format!("{dir}/_rels/{file}.rels")),
        None => ("", format!("_rels/{part}.rels")),
    }
}

/// A part name relative to a folder, for a relationship target.
pub fn relative_to(folder: &str, part: &str) -> String {
    match part.strip_prefix(folder).and_then(|p| p.strip_prefix('/')) {
        Some(rest) if !folder.is_empty() => rest.to_string(),
        _ if folder.is_empty() => part.to_string(),
        _ => format!("/{part}"),
    }
}

/// Adds an `Override` for `part` unless the content types already name it.
pub fn with_override(
    bytes: &[u8],
    types: &SmallPart,
    part: &str,
    content_type: &str,
) -> Option<Vec<u8>> {
    let name = format!("/{part}");
    if types
        .values("Override", "PartName")
        .any(|p| p.eq_ignore_ascii_case(&name))
    {
        return Some(bytes.to_vec());
    }
    use quick_xml::escape::escape;
    let child = format!(
        "<{p}Override PartName=\"{}\" ContentType=\"{}\"/>",
        escape(&name),
        escape(content_type),
        p = types.prefix
    );
    types.append(bytes, &child)
}

/// Rewrites the package: parts in `replace` get new bytes, `add` parts are
/// appended, every other entry is copied unchanged (read within the limits).
pub fn rewrite(
    source: &[u8],
    ctx: &Context,
    replace: &HashMap<String, Vec<u8>>,
    add: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, ExtractError> {
    let mut archive = Archive::open(source, ctx)?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let failed = |e: &dyn std::fmt::Display| ExtractError::Corrupt(format!("无法写入压缩包：{e}"));
    for name in archive.names() {
        ctx.deadline.check()?;
        if name.ends_with('/') {
            writer
                .add_directory(name.as_str(), options)
                .map_err(|e| failed(&e))?;
            continue;
        }
        let bytes = match replace.get(&name) {
            Some(b) => b.clone(),
            None => match archive.read(&name)? {
                Some(b) => b,
                None => continue,
            },
        };
        writer
            .start_file(name.as_str(), options)
            .map_err(|e| failed(&e))?;
        writer.write_all(&bytes).map_err(|e| failed(&e))?;
    }
    for (name, bytes) in add {
        writer
            .start_file(name.as_str(), options)
            .map_err(|e| failed(&e))?;
        writer.write_all(bytes).map_err(|e| failed(&e))?;
    }
    let cursor = writer.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}

/// Parses a whole part to be sure an edit left it well-formed.
pub fn well_formed(bytes: &[u8]) -> bool {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => return depth == 0,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    #[test]
    fn small_parts_grow_in_place() {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let rels = br#"<?xml version="1.0"?><Relationships xmlns="x"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
        let part = SmallPart::parse(rels, "r", &ctx).unwrap();
        let list = relationships(&part);
        assert_eq!(free_rel_id(&list), "rId4");
        assert_eq!(
            rel_type(&list, "comments"),
            format!("{REL_TRANSITIONAL}comments")
        );
        let grown = part.append(rels, "<Relationship Id=\"rId4\"/>").unwrap();
        assert!(well_formed(&grown));
        assert!(
            String::from_utf8(grown)
                .unwrap()
                .ends_with("Target=\"styles.xml\"/><Relationship Id=\"rId4\"/></Relationships>")
        );
        let empty = br#"<ct:Types xmlns:ct="y" />"#;
        let types = SmallPart::parse(empty, "t", &ctx).unwrap();
        let with = with_override(empty, &types, "word/comments.xml", "c").unwrap();
        assert_eq!(
            String::from_utf8(with.clone()).unwrap(),
            r#"<ct:Types xmlns:ct="y"><ct:Override PartName="/word/comments.xml" ContentType="c"/></ct:Types>"#
        );
        let again = SmallPart::parse(&with, "t", &ctx).unwrap();
        assert_eq!(
            with_override(&with, &again, "word/comments.xml", "c").unwrap(),
            with
        );
        assert_eq!(
            resolve("word", "../customXml/a.xml").unwrap(),
            "customXml/a.xml"
        );
        assert_eq!(relative_to("word", "word/comments.xml"), "comments.xml");
        assert_eq!(relative_to("", "comments.xml"), "comments.xml");
        assert!(!well_formed(b"<a><b></a>"));
    }
}
