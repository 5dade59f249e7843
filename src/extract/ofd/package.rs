//! Package structure: `OFD.xml` (document entries and their DocInfo) and
//! a document's `Document.xml` (page list, templates, default page area).

use std::collections::HashMap;

use super::super::xml::{SafeXml, XmlEvent, attr, local_name};
use super::super::{Context, ExtractError};
use super::geometry::Rect;

/// Document metadata from `ofd:DocInfo`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DocInfo {
    pub title: Option<String>,
    pub author: Option<String>,
    pub creation_date: Option<String>,
    /// `CustomData` entries as (Name, value).
    pub custom: Vec<(String, String)>,
}

/// What `OFD.xml` says about the first document of the package.
#[derive(Debug, Default)]
pub struct Entry {
    /// `DocRoot` of the first `DocBody`, as written.
    pub doc_root: Option<String>,
    pub info: DocInfo,
    /// Number of `DocBody` elements (documents in the package).
    pub documents: usize,
}

/// Longest metadata value kept; longer ones are cut.
const MAX_VALUE: usize = 4096;

pub fn parse_entry(bytes: &[u8], part: &str, ctx: &Context) -> Result<Entry, ExtractError> {
    let mut xml = SafeXml::new(bytes, part, ctx);
    let mut entry = Entry::default();
    let mut stack: Vec<String> = Vec::new();
    // The element whose text is being collected, with its CustomData name.
    let mut field: Option<(String, Option<String>)> = None;
    let mut value = String::new();
    loop {
        match xml.next()? {
            XmlEvent::Start(e) => {
                let name = local_name(&e).to_string();
                if name == "DocBody" {
                    entry.documents += 1;
                }
                let wanted = matches!(
                    name.as_str(),
                    "DocRoot" | "Title" | "Author" | "CreationDate" | "CustomData"
                );
                if entry.documents == 1 && stack.iter().any(|n| n == "DocBody") && wanted {
                    field = Some((name.clone(), attr(&e, "Name")));
                    value.clear();
                }
                stack.push(name);
            }
            XmlEvent::Empty(e) if local_name(&e) == "DocBody" => entry.documents += 1,
            XmlEvent::Text(t) if field.is_some() && value.len() < MAX_VALUE => value.push_str(&t),
            XmlEvent::End(name) => {
                stack.pop();
                if let Some((_, custom_name)) = field.take_if(|(f, _)| *f == name) {
                    store(&mut entry, &name, custom_name, &value);
                }
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    Ok(entry)
}

fn store(entry: &mut Entry, field: &str, custom_name: Option<String>, raw: &str) {
    let value = clean(raw);
    if value.is_empty() {
        return;
    }
    let info = &mut entry.info;
    match field {
        "DocRoot" => entry.doc_root = entry.doc_root.take().or(Some(value)),
        "Title" => info.title = info.title.take().or(Some(value)),
        "Author" => info.author = info.author.take().or(Some(value)),
        "CreationDate" => info.creation_date = info.creation_date.take().or(Some(value)),
        "CustomData" => {
            if let Some(name) = custom_name {
                info.custom.push((clean(&name), value));
            }
        }
        _ => {}
    }
}

/// Whitespace runs folded to one space, control characters dropped, cut
/// to [`MAX_VALUE`] bytes on a character boundary.
fn clean(raw: &str) -> String {
    let mut out = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    if out.len() > MAX_VALUE {
        let mut cut = MAX_VALUE;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// The parts of `Document.xml` the text depends on.
#[derive(Debug, Default)]
pub struct Document {
    /// `BaseLoc` of each page in reading order (`None`: the page has none).
    pub pages: Vec<Option<String>>,
    /// Template `ID` → `BaseLoc`.
    pub templates: HashMap<String, String>,
    /// `CommonData/PageArea/PhysicalBox`: the default page box.
    pub page_area: Option<Rect>,
}

pub fn parse_document(bytes: &[u8], part: &str, ctx: &Context) -> Result<Document, ExtractError> {
    let mut xml = SafeXml::new(bytes, part, ctx);
    let mut doc = Document::default();
    let mut stack: Vec<String> = Vec::new();
    let mut physical_box: Option<String> = None;
    loop {
        let (e, empty) = match xml.next()? {
            XmlEvent::Start(e) => (e, false),
            XmlEvent::Empty(e) => (e, true),
            XmlEvent::Text(t) => {
                if let Some(b) = physical_box.as_mut()
                    && b.len() < 256
                {
                    b.push_str(&t);
                }
                continue;
            }
            XmlEvent::End(name) => {
                stack.pop();
                if name == "PhysicalBox"
                    && let Some(b) = physical_box.take()
                {
                    doc.page_area = Rect::parse(&b).filter(|r| r.w > 0.0 && r.h > 0.0);
                }
                continue;
            }
            XmlEvent::Eof => break,
        };
        let name = local_name(&e).to_string();
        let parent = stack.last().map(String::as_str);
        match (parent, name.as_str()) {
            (Some("Pages"), "Page") => doc.pages.push(attr(&e, "BaseLoc")),
            (Some("CommonData"), "TemplatePage") => {
                if let (Some(id), Some(loc)) = (attr(&e, "ID"), attr(&e, "BaseLoc")) {
                    doc.templates.insert(id, loc);
                }
            }
            (Some("PageArea"), "PhysicalBox") if !empty => physical_box = Some(String::new()),
            _ => {}
        }
        if !empty {
            stack.push(name);
        }
    }
    Ok(doc)
}

/// Resolves a package path written in `base_folder`: a leading `/` starts
/// at the package root; `.` and `..` are followed but never above the root
/// (`None`). Backslashes, which some producers write, count as slashes.
pub fn resolve(base_folder: &str, target: &str) -> Option<String> {
    let target = target.trim().replace('\\', "/");
    let (start, rest) = match target.strip_prefix('/') {
        Some(absolute) => ("", absolute),
        None => (base_folder, target.as_str()),
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

/// Folder of a part: `Doc_0/Document.xml` → `Doc_0`.
pub fn folder(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    fn ctx_run<T>(f: impl FnOnce(&Context) -> T) -> T {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        f(&ctx)
    }

    #[test]
    fn paths_resolve_inside_the_package() {
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml").as_deref(),
            Some("Doc_0/Pages/Page_0/Content.xml")
        );
        assert_eq!(
            resolve("Doc_0", "/Doc_0/Pages/Page_1/Content.xml").as_deref(),
            Some("Doc_0/Pages/Page_1/Content.xml")
        );
        assert_eq!(
            resolve("", "Doc_0\\Document.xml").as_deref(),
            Some("Doc_0/Document.xml")
        );
        assert_eq!(
            resolve("Doc_0/Pages", "../Tpls/./T.xml").as_deref(),
            Some("Doc_0/Tpls/T.xml")
        );
        assert_eq!(resolve("Doc_0", "../../etc/passwd"), None);
        assert_eq!(resolve("", "/"), None);
        assert_eq!(folder("Doc_0/Document.xml"), "Doc_0");
        assert_eq!(folder("OFD.xml"), "");
    }

    #[test]
    fn entry_reads_the_first_document_only() {
        let xml = r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
          <ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID><ofd:Title> 关于
            印发若干措施的通知 </ofd:Title><ofd:Author>某市人民政府</ofd:Author>
            <ofd:CreationDate>2024-06-20</ofd:CreationDate>
            <ofd:CustomDatas><ofd:CustomData Name="发文机关">某市人民政府办公室</ofd:CustomData></ofd:CustomDatas>
          </ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>
          <ofd:DocBody><ofd:DocInfo><ofd:Title>第二份</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody>
        </ofd:OFD>"#;
        let entry = ctx_run(|ctx| parse_entry(xml.as_bytes(), "OFD.xml", ctx)).unwrap();
        assert_eq!(entry.documents, 2);
        assert_eq!(entry.doc_root.as_deref(), Some("Doc_0/Document.xml"));
        assert_eq!(entry.info.title.as_deref(), Some("关于 印发若干措施的通知"));
        assert_eq!(entry.info.author.as_deref(), Some("某市人民政府"));
        assert_eq!(entry.info.creation_date.as_deref(), Some("2024-06-20"));
        assert_eq!(
            entry.info.custom,
            [("发文机关".to_string(), "某市人民政府办公室".to_string())]
        );
    }

    #[test]
    fn document_lists_pages_templates_and_area() {
        let xml = r#"<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData>
          <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
          <ofd:TemplatePage ID="4" BaseLoc="Tpls/Tpl_0/Content.xml" ZOrder="Background"/>
          </ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>
          <ofd:Page ID="2"/><ofd:Page ID="3" BaseLoc="/Doc_0/Pages/Page_2/Content.xml"></ofd:Page></ofd:Pages>
          <ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>"#;
        let doc = ctx_run(|ctx| parse_document(xml.as_bytes(), "Document.xml", ctx)).unwrap();
        assert_eq!(
            doc.pages,
            [
                Some("Pages/Page_0/Content.xml".to_string()),
                None,
                Some("/Doc_0/Pages/Page_2/Content.xml".to_string())
            ]
        );
        assert_eq!(
            doc.templates.get("4").map(String::as_str),
            Some("Tpls/Tpl_0/Content.xml")
        );
        assert_eq!(doc.page_area.map(|r| r.h), Some(297.0));
    }
}
