//! OFD (GB/T 33190-2016), the national fixed-layout format: a zip package
//! of XML parts read through the bounded [`Archive`] and [`SafeXml`](super::xml::SafeXml).
//!
//! `OFD.xml` names the document root (`Document.xml`), which lists the pages
//! in order; each page's `Content.xml` draws text objects whose `TextCode`s
//! already hold Unicode, so fonts are never needed. Characters are placed
//! on the page (Boundary, CTM, DeltaX/DeltaY), grouped into lines, page
//! furniture is dropped and wrapped lines are joined into paragraphs.
//!
//! A missing or broken page is skipped with a warning while other pages are
//! readable; a page that only draws images is reported as needing OCR.
//! Signatures, annotations, attachments and composite objects are not read.

mod furniture;
mod geometry;
mod hints;
mod layout;
mod package;
mod page;
mod paragraphs;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use super::archive::Archive;
use super::text::TextBuilder;
use super::{BlockKind, Context, ExtractError, Extracted, Extractor};
use geometry::A4;
use layout::PageLines;
use page::Glyph;

pub struct OfdExtractor;

impl Extractor for OfdExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        let mut pkg = Package::open(bytes, ctx)?;
        let entry_name = pkg
            .locate("", "OFD.xml")
            .ok_or_else(|| ExtractError::Corrupt("OFD 文件缺少入口文件 OFD.xml".into()))?;
        let entry = package::parse_entry(&pkg.read(&entry_name)?, &entry_name, ctx)?;
        if entry.documents > 1 {
            pkg.warnings.push(format!(
                "OFD 文件包含 {} 个文档，只提取了第一个",
                entry.documents
            ));
        }
        let root = entry.doc_root.as_deref().ok_or_else(|| {
            ExtractError::Corrupt("OFD.xml 中没有指明文档根节点（DocRoot）".into())
        })?;
        let doc_name = pkg.locate("", root).ok_or_else(|| {
            ExtractError::Corrupt(format!("OFD 文件缺少文档根节点 {}", root.trim()))
        })?;
        let document = package::parse_document(&pkg.read(&doc_name)?, &doc_name, ctx)?;
        if document.pages.is_empty() {
            return Err(ExtractError::Corrupt(format!("{doc_name} 中没有页面")));
        }

        let pages = pkg.read_pages(&document, &doc_name)?;
        let mut extracted = build_text(pages)?;
        extracted.warnings = pkg.warnings;
        extracted.hints = hints::hints(&entry.info);
        Ok(extracted)
    }
}

/// The archive, its entry names and what went wrong along the way.
struct Package<'a, 'c> {
    archive: Archive<'a>,
    names: Vec<String>,
    ctx: &'c Context<'c>,
    warnings: Vec<String>,
    /// Template ID → its characters (`None`: missing or unreadable).
    templates: HashMap<String, Option<Vec<Glyph>>>,
}

/// How the pages of the document turned out.
#[derive(Default)]
struct PagesRead {
    readable: Vec<PageLines>,
    /// Page number and the part that is missing or broken.
    lost: Vec<(u32, String)>,
    needs_ocr: Vec<u32>,
}

impl<'a, 'c> Package<'a, 'c> {
    fn open(bytes: &'a [u8], ctx: &'c Context<'c>) -> Result<Self, ExtractError> {
        let archive = Archive::open(bytes, ctx)?;
        let names = archive.names();
        Ok(Package {
            archive,
            names,
            ctx,
            warnings: Vec::new(),
            templates: HashMap::new(),
        })
    }

    /// The entry a path written in `base_folder` refers to: resolved against
    /// that folder, then against the package root (producers disagree),
    /// then ignoring case.
    fn locate(&self, base_folder: &str, target: &str) -> Option<String> {
        let candidates = [
            package::resolve(base_folder, target),
            package::resolve("", target),
        ];
        let candidates: Vec<String> = candidates.into_iter().flatten().collect();
        for c in &candidates {
            if self.names.iter().any(|n| n == c) {
                return Some(c.clone());
            }
        }
        candidates.iter().find_map(|c| {
            self.names
                .iter()
                .find(|n| n.eq_ignore_ascii_case(c))
                .cloned()
        })
    }

    fn read(&mut self, name: &str) -> Result<Vec<u8>, ExtractError> {
        self.archive
            .read(name)?
            .ok_or_else(|| ExtractError::Corrupt(format!("OFD 文件缺少 {name}")))
    }

    fn read_pages(
        &mut self,
        document: &package::Document,
        doc_name: &str,
    ) -> Result<PagesRead, ExtractError> {
        let base = package::folder(doc_name).to_string();
        let mut read = PagesRead::default();
        let mut text_bytes = 0usize;
        for (i, loc) in document.pages.iter().enumerate() {
            self.ctx.deadline.check()?;
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let written = loc.as_deref().unwrap_or("（未指明）");
            let Some(name) = loc.as_deref().and_then(|l| self.locate(&base, l)) else {
                let wanted = loc.as_deref().and_then(|l| package::resolve(&base, l));
                read.lost
                    .push((number, wanted.unwrap_or(written.to_string())));
                continue;
            };
            // A page that does not inflate or parse is lost on its own;
            // limits and the deadline still stop the whole file.
            let content = match self
                .read(&name)
                .and_then(|bytes| page::parse(&bytes, &name, self.ctx))
            {
                Ok(c) => c,
                Err(ExtractError::Corrupt(_)) => {
                    read.lost.push((number, name));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let mut glyphs = content.glyphs;
            if !glyphs.iter().any(|g| g.ch != ' ') && content.images > 0 {
                read.needs_ocr.push(number);
            }
            for id in &content.templates {
                glyphs.extend(self.template(id, document, &base)?);
            }
            text_bytes += glyphs.iter().map(|g| g.ch.len_utf8()).sum::<usize>();
            if text_bytes > self.ctx.limits.max_text_bytes {
                return Err(ExtractError::TooLarge(format!(
                    "提取出的文本超过 {} MB",
                    self.ctx.limits.max_text_bytes / (1024 * 1024)
                )));
            }
            let area = content.area.or(document.page_area).unwrap_or(A4);
            read.readable.push(layout::page_lines(glyphs, number, area));
        }
        self.report(&read, document.pages.len())?;
        Ok(read)
    }

    /// The characters of a template page, read once and shared by every
    /// page that references it. A missing template only costs a warning.
    fn template(
        &mut self,
        id: &str,
        document: &package::Document,
        base: &str,
    ) -> Result<Vec<Glyph>, ExtractError> {
        if let Some(cached) = self.templates.get(id) {
            return Ok(cached.clone().unwrap_or_default());
        }
        let name = document
            .templates
            .get(id)
            .and_then(|loc| self.locate(base, loc));
        let parsed = name.map(|name| {
            self.read(&name)
                .and_then(|bytes| page::parse(&bytes, &name, self.ctx))
        });
        let glyphs = match parsed {
            Some(Ok(content)) => Some(content.glyphs),
            Some(Err(ExtractError::Corrupt(_))) | None => None,
            Some(Err(e)) => return Err(e),
        };
        if glyphs.is_none() {
            self.warnings
                .push(format!("模板页 {id} 缺失或无法解析，其中的文字未提取"));
        }
        self.templates.insert(id.to_string(), glyphs.clone());
        Ok(glyphs.unwrap_or_default())
    }

    /// Turns lost and image-only pages into warnings, or into the error when
    /// no page could be read at all.
    fn report(&mut self, read: &PagesRead, total: usize) -> Result<(), ExtractError> {
        if read.readable.is_empty()
            && let Some((_, part)) = read.lost.first()
        {
            return Err(ExtractError::Corrupt(format!(
                "OFD 页面文件缺失或无法解析：{part}"
            )));
        }
        for (number, part) in &read.lost {
            self.warnings.push(format!(
                "第 {number} 页的页面文件 {part} 缺失或无法解析，该页内容未提取"
            ));
        }
        let has_text = read.readable.iter().any(|p| !p.lines.is_empty());
        if !has_text && !read.needs_ocr.is_empty() {
            return Err(ExtractError::NeedsOcr(format!(
                "OFD 共 {total} 页，均只有图像而没有文字层（可能是扫描件）"
            )));
        }
        if !read.needs_ocr.is_empty() {
            self.warnings.push(format!(
                "第 {} 页只有图像而没有文字层，需要文字识别（OCR），这些页的内容未提取",
                page_list(&read.needs_ocr)
            ));
        }
        Ok(())
    }
}

/// Furniture out, paragraphs in, one block per paragraph.
fn build_text(mut read: PagesRead) -> Result<Extracted, ExtractError> {
    furniture::strip(&mut read.readable);
    let paragraphs = paragraphs::paragraphs(&read.readable);
    if paragraphs.is_empty() {
        return Err(ExtractError::NeedsOcr(
            "OFD 中没有可提取的文字（可能是扫描件或文字已转为图形）".into(),
        ));
    }
    let mut builder = TextBuilder::new();
    for (i, para) in paragraphs.iter().enumerate() {
        let kind = if para.heading {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        builder.push(kind, &para.text, Some(para.page), Some(index));
    }
    Ok(builder.finish())
}

/// "1、3、5—7" style list of page numbers.
fn page_list(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&start) = pages.get(i) {
        let mut end = start;
        while pages.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        parts.push(match end - start {
            0 => start.to_string(),
            1 => format!("{start}、{end}"),
            _ => format!("{start}—{end}"),
        });
        i += 1;
    }
    parts.join("、")
}
