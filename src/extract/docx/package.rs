//! Package plumbing: relationship parts and core properties.

use super::super::xml::{SafeXml, XmlEvent, attr, local_name};
use super::super::{Context, ExtractError};

/// One internal relationship with its target resolved to a part name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub id: String,
    /// Last segment of the relationship type URI (`header`, `styles`, …).
    pub kind: String,
    pub target: String,
}

/// The relationships part of `part`: `word/document.xml` → `word/_rels/document.xml.rels`.
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Folder of a part, the base its relative targets resolve against.
pub fn folder(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Reads a `.rels` part; external targets (links) are left out.
pub fn parse_rels(
    bytes: &[u8],
    part: &str,
    base: &str,
    ctx: &Context,
) -> Result<Vec<Relationship>, ExtractError> {
    let mut xml = SafeXml::new(bytes, part, ctx);
    let mut rels = Vec::new();
    loop {
        let e = match xml.next()? {
            XmlEvent::Start(e) | XmlEvent::Empty(e) => e,
            XmlEvent::Eof => break,
            _ => continue,
        };
        if local_name(&e) != "Relationship" {
            continue;
        }
        if attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external")) {
            continue;
        }
        let (Some(id), Some(kind), Some(target)) =
            (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
        else {
            continue;
        };
        if let Some(target) = resolve(base, &target) {
            let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
            rels.push(Relationship { id, kind, target });
        }
    }
    Ok(rels)
}

/// Resolves a relationship target against `base`; `None` if it leaves the package.
pub fn resolve(base: &str, target: &str) -> Option<String> {
    let (start, rest) = match target.strip_prefix('/') {
        Some(absolute) => ("", absolute),
        None => (base, target),
    };
    let mut parts: Vec<&str> = start.split('/').filter(|p| !p.is_empty()).collect();
    for piece in rest.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `dc:title` of `docProps/core.xml`, if it says something.
pub fn core_title(bytes: &[u8], part: &str, ctx: &Context) -> Result<Option<String>, ExtractError> {
    let mut xml = SafeXml::new(bytes, part, ctx);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match xml.next()? {
            XmlEvent::Start(e) if local_name(&e) == "title" => in_title = true,
            XmlEvent::End(name) if name == "title" => break,
            XmlEvent::Text(t) if in_title && title.len() < 4096 => title.push_str(&t),
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok((!title.is_empty()).then_some(title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_inside_the_package() {
        assert_eq!(
            resolve("word", "header1.xml").as_deref(),
            Some("word/header1.xml")
        );
        assert_eq!(
            resolve("word", "/word/footer2.xml").as_deref(),
            Some("word/footer2.xml")
        );
        assert_eq!(
            resolve("word", "../customXml/item1.xml").as_deref(),
            Some("customXml/item1.xml")
        );
        assert_eq!(resolve("word", "../../etc/passwd"), None);
        assert_eq!(
            rels_name("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
        assert_eq!(folder("word/document.xml"), "word");
    }
}
