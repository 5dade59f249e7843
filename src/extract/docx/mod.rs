//! .docx (WordprocessingML) reading on top of the bounded [`Archive`] and
//! hardened [`SafeXml`](super::xml::SafeXml).
//!
//! Text comes out in reading order: body paragraphs (tables cell by cell, text
//! boxes after their anchor paragraph), then headers, footers, footnotes and
//! endnotes. Word's automatic list labels (一、 （二） 1. …) exist only in
//! `numbering.xml`; they are computed and put back in front of their paragraphs
//! because clause numbering is what the rest of the pipeline structures on.
//!
//! A broken main document is an error; a broken auxiliary part (styles,
//! numbering, a header, notes, properties) is skipped with a warning.

mod fields;
mod number_format;
mod numbering;
pub(crate) mod package;
mod styles;
mod walker;

#[cfg(test)]
mod tests;

use std::collections::HashSet;

use super::archive::Archive;
use super::text::TextBuilder;
use super::{Context, ExtractError, Extracted, Extractor};
use numbering::Numbering;
use package::{Relationship, core_title, folder, parse_rels, rels_name};
use styles::Styles;
use walker::{Paragraph, PartKind, Walker};

pub struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        let mut pkg = Package {
            archive: Archive::open(bytes, ctx)?,
            ctx,
            warnings: Vec::new(),
        };
        let root_rels = pkg.rels("_rels/.rels", "")?;
        let (main, document) = pkg.main_document(&root_rels)?;
        let rels = pkg.rels(&rels_name(&main), folder(&main))?;

        let styles = pkg
            .aux(
                "样式表",
                &targets(&rels, "styles", "word/styles.xml"),
                |b, n| Styles::parse(b, n, ctx),
            )?
            .unwrap_or_default();
        let mut numbering = pkg
            .aux(
                "编号定义",
                &targets(&rels, "numbering", "word/numbering.xml"),
                |b, n| Numbering::parse(b, n, ctx),
            )?
            .unwrap_or_default();
        numbering.resolve_style_links(&styles);

        let body =
            Walker::new(PartKind::Body, &styles, &numbering, ctx).walk(&document, &main, ctx)?;
        drop(document);

        let mut builder = TextBuilder::new();
        for p in &body.paragraphs {
            builder.push_cell(p.kind, &p.text, None, p.index, p.cell);
        }

        let (headers, footers) =
            header_footer_parts(&rels, &body.section_refs, &pkg.archive.names());
        let mut seen = HashSet::new();
        for (parts, kind, what) in [
            (headers, PartKind::Header, "页眉"),
            (footers, PartKind::Footer, "页脚"),
        ] {
            for part in parts {
                for p in pkg.part_paragraphs(what, &part, kind, &styles, &numbering)? {
                    // First-page, even and default headers often repeat the same line.
                    if seen.insert((kind, p.text.clone())) {
                        builder.push(p.kind, &p.text, None, None);
                    }
                }
            }
        }
        let notes = [
            (
                "footnotes",
                "word/footnotes.xml",
                PartKind::Footnotes,
                "脚注",
            ),
            ("endnotes", "word/endnotes.xml", PartKind::Endnotes, "尾注"),
        ];
        for (rel_kind, fallback, kind, what) in notes {
            for part in targets(&rels, rel_kind, fallback) {
                for p in pkg.part_paragraphs(what, &part, kind, &styles, &numbering)? {
                    builder.push(p.kind, &p.text, None, None);
                }
            }
        }

        let core = targets(&root_rels, "core-properties", "docProps/core.xml");
        let title = pkg
            .aux("文档属性", &core, |b, n| core_title(b, n, ctx))?
            .flatten();

        let mut extracted = builder.finish();
        extracted.hints.title = title;
        extracted.warnings = pkg.warnings;
        Ok(extracted)
    }
}

/// The archive plus the warnings gathered while reading it.
struct Package<'a, 'c> {
    archive: Archive<'a>,
    ctx: &'c Context<'c>,
    warnings: Vec<String>,
}

impl Package<'_, '_> {
    /// The main document part, named by the package relationships or at its usual place.
    fn main_document(
        &mut self,
        root_rels: &Option<Vec<Relationship>>,
    ) -> Result<(String, Vec<u8>), ExtractError> {
        let mut names = targets(root_rels, "officeDocument", "word/document.xml");
        names.push("word/document.xml".to_string());
        for name in names {
            if let Some(bytes) = self.archive.read(&name)? {
                return Ok((name, bytes));
            }
        }
        Err(ExtractError::Corrupt(
            "缺少正文部件 word/document.xml，不是有效的 Word 文档".into(),
        ))
    }

    /// A relationships part; `None` when the package has none.
    fn rels(&mut self, name: &str, base: &str) -> Result<Option<Vec<Relationship>>, ExtractError> {
        let ctx = self.ctx;
        self.aux("关系", &[name.to_string()], |b, n| {
            parse_rels(b, n, base, ctx)
        })
    }

    /// Reads and parses the first present part of `names`. A corrupt part
    /// becomes a warning; limits and timeouts still stop the whole file.
    fn aux<T>(
        &mut self,
        what: &str,
        names: &[String],
        parse: impl FnOnce(&[u8], &str) -> Result<T, ExtractError>,
    ) -> Result<Option<T>, ExtractError> {
        for name in names {
            let result = match self.archive.read(name) {
                Ok(None) => continue,
                Ok(Some(bytes)) => parse(&bytes, name),
                Err(e) => Err(e),
            };
            return match result {
                Ok(v) => Ok(Some(v)),
                Err(ExtractError::Corrupt(msg)) => {
                    self.warnings
                        .push(format!("{what}（{name}）无法读取，已跳过：{msg}"));
                    Ok(None)
                }
                Err(e) => Err(e),
            };
        }
        Ok(None)
    }

    fn part_paragraphs(
        &mut self,
        what: &str,
        part: &str,
        kind: PartKind,
        styles: &Styles,
        numbering: &Numbering,
    ) -> Result<Vec<Paragraph>, ExtractError> {
        let ctx = self.ctx;
        let text = self.aux(what, &[part.to_string()], |b, n| {
            Walker::new(kind, styles, numbering, ctx).walk(b, n, ctx)
        })?;
        Ok(text.map(|t| t.paragraphs).unwrap_or_default())
    }
}

/// Parts related to the main document by `kind`; without a relationships
/// part, the conventional name.
fn targets(rels: &Option<Vec<Relationship>>, kind: &str, fallback: &str) -> Vec<String> {
    match rels {
        Some(rels) => rels
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.target.clone())
            .collect(),
        None => vec![fallback.to_string()],
    }
}

/// Header and footer parts: those the sections reference, in document order,
/// then any other related ones. Without relationships, by file name.
fn header_footer_parts(
    rels: &Option<Vec<Relationship>>,
    refs: &[walker::SectionRef],
    names: &[String],
) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut footers = Vec::new();
    let mut add = |r: &Relationship| {
        let list = match r.kind.as_str() {
            "header" => &mut headers,
            "footer" => &mut footers,
            _ => return,
        };
        if !list.contains(&r.target) {
            list.push(r.target.clone());
        }
    };
    match rels {
        Some(rels) => {
            for section_ref in refs {
                if let Some(r) = rels.iter().find(|r| r.id == section_ref.rel_id) {
                    add(r);
                }
            }
            rels.iter().for_each(&mut add);
        }
        None => {
            let mut sorted: Vec<&String> = names.iter().collect();
            sorted.sort();
            for name in sorted {
                let Some(file) = name
                    .strip_prefix("word/")
                    .filter(|f| f.ends_with(".xml") && !f.contains('/'))
                else {
                    continue;
                };
                if file.starts_with("header") {
                    headers.push(name.clone());
                } else if file.starts_with("footer") {
                    footers.push(name.clone());
                }
            }
        }
    }
    (headers, footers)
}

/// Integers as OOXML writes them (`w:val="3"`).
fn parse_int(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}
