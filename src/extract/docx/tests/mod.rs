//! Tests on small .docx packages built in memory.

mod hostile;
mod lists;
mod structure;
mod tables;

use std::io::{Cursor, Write};

use super::DocxExtractor;
use crate::extract::{BlockKind, Context, ExtractError, Extracted, Extractor};
use crate::limits::{Deadline, Limits};

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml""#
);

const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A zip package of `(name, content)` entries, deflated like Word writes them.
pub fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(content.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

/// A `w:document` around body markup.
pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    )
}

/// A root element of another part (`w:hdr`, `w:styles`, …) with the usual namespaces.
pub fn part(root: &str, inner: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><{root} {NS}>{inner}</{root}>"#)
}

/// `word/_rels/document.xml.rels` from `(id, type suffix, target)`.
pub fn rels(entries: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (id, kind, target) in entries {
        out.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{REL_NS}/{kind}" Target="{target}"/>"#
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// A plain paragraph.
pub fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A paragraph with properties markup (`w:pPr` content).
pub fn pp(props: &str, text: &str) -> String {
    format!("<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A numbered paragraph.
pub fn np(num_id: u32, ilvl: u32, text: &str) -> String {
    pp(
        &format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>"#),
        text,
    )
}

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let limits = Limits::default();
    let ctx = Context {
        limits: &limits,
        deadline: Deadline::after(limits.max_time),
    };
    DocxExtractor.extract(bytes, &ctx)
}

/// Each block as its kind and the text its offsets point at.
pub fn blocks(ex: &Extracted) -> Vec<(BlockKind, String)> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| (b.kind, chars[b.start..b.end].iter().collect()))
        .collect()
}

/// Just the block texts.
pub fn texts(ex: &Extracted) -> Vec<String> {
    blocks(ex).into_iter().map(|(_, t)| t).collect()
}
