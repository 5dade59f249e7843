//! PDF text layer.
//!
//! lopdf parses the file; the content streams are interpreted here
//! ([`content`]) so each glyph gets its position, strings are decoded per font
//! ([`fonts`], [`cmap`]), glyphs become lines ([`lines`]) in reading order
//! (columns one after the other, tables cell by cell: [`layout`], [`rules`]),
//! page furniture is dropped ([`furniture`]) and wrapped lines are joined back
//! into paragraphs ([`paragraphs`]). Pages without a usable text layer ([`quality`]) are
//! read by OCR ([`scan`]) when tesseract is installed, else reported as
//! needing it.

pub(super) mod chars;
mod cmap;
mod content;
mod encodings;
mod fonts;
mod furniture;
mod layout;
#[cfg(test)]
mod layout_tests;
mod lines;
mod objects;
mod page_image;
pub(super) mod paragraphs;
mod quality;
mod rules;
mod scan;
#[cfg(test)]
mod tests;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Document, LoadOptions};

use self::content::Cache;
use self::objects::Budget;
use self::page_image::ScanPage;
use self::quality::Verdict;
use self::scan::Scans;
use super::text::TextBuilder;
use super::{BlockKind, Context, ExtractError, Extracted, Extractor, MetaHints};

pub struct PdfExtractor;

impl Extractor for PdfExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        // Last line of defence: a panic inside the parser must not take the
        // batch down. Our own code avoids panicking on any input.
        catch_unwind(AssertUnwindSafe(|| extract_pdf(bytes, ctx)))
            .unwrap_or_else(|_| Err(ExtractError::Corrupt("PDF 结构异常，解析中止".into())))
    }
}

fn extract_pdf(bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
    let doc = load(bytes, ctx)?;
    ctx.deadline.check()?;
    let mut read = read_pages(&doc, ctx)?;
    let scans = scan::recognise(&doc, bytes, &read.scan_pages, ctx)?;
    read.needs_ocr.retain(|n| !scans.recognised(*n));
    read.fail_if_nothing_readable(&scans)?;

    furniture::strip(&mut read.readable);
    let mut builder = TextBuilder::new();
    let mut recognised = scans.pages.iter().peekable();
    let mut index = 0u32;
    for para in paragraphs::paragraphs(&read.readable) {
        index = scan::push_in_page_order(&mut builder, &mut recognised, Some(para.page), index);
        let kind = if para.cell {
            BlockKind::TableCell
        } else if para.heading {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        builder.push_cell(kind, &para.text, Some(para.page), Some(index), para.pos);
        index += 1;
    }
    scan::push_in_page_order(&mut builder, &mut recognised, None, index);
    let mut extracted = builder.finish();
    extracted.warnings = read.warnings(&scans);
    extracted.hints = MetaHints {
        title: info_title(&doc),
        ..MetaHints::default()
    };
    Ok(extracted)
}

/// Every page sorted by what its text layer gave.
struct PagesRead {
    total: usize,
    readable: Vec<lines::PageLines>,
    needs_ocr: Vec<u32>,
    /// The `needs_ocr` pages as OCR sees them.
    scan_pages: Vec<ScanPage>,
    damaged: Vec<u32>,
}

fn read_pages(doc: &Document, ctx: &Context) -> Result<PagesRead, ExtractError> {
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Corrupt("PDF 中没有可读取的页面".into()));
    }
    let mut read = PagesRead {
        total: pages.len(),
        readable: Vec::new(),
        needs_ocr: Vec::new(),
        scan_pages: Vec::new(),
        damaged: Vec::new(),
    };
    let mut cache = Cache::default();
    let mut budget = Budget::new(ctx.limits.max_decompressed_bytes);
    let mut text_bytes = 0usize;
    for (&number, &page_id) in &pages {
        ctx.deadline.check()?;
        let page = content::read_page(doc, page_id, &mut cache, &mut budget, ctx)?;
        text_bytes += page.text.len();
        if text_bytes > ctx.limits.max_text_bytes {
            return Err(ExtractError::TooLarge(format!(
                "提取出的文本超过 {} MB",
                ctx.limits.max_text_bytes / (1024 * 1024)
            )));
        }
        match quality::assess(&page) {
            Verdict::Usable => read.readable.push(lines::page_lines(&page, number)),
            _ if page.damaged => read.damaged.push(number),
            Verdict::NeedsOcr => {
                read.needs_ocr.push(number);
                read.scan_pages.push(ScanPage {
                    number,
                    id: page_id,
                    bbox: page.bbox,
                    image_cover: page.image_cover,
                    image: page.cover_image,
                });
            }
            Verdict::Blank => {}
        }
    }
    Ok(read)
}

impl PagesRead {
    fn fail_if_nothing_readable(&self, scans: &Scans) -> Result<(), ExtractError> {
        if self.readable.iter().any(|p| !p.lines.is_empty()) || !scans.pages.is_empty() {
            return Ok(());
        }
        Err(if !self.damaged.is_empty() {
            ExtractError::Corrupt(self.damaged_message())
        } else if self.needs_ocr.is_empty() {
            ExtractError::NeedsOcr("PDF 中没有可提取的文字（可能是扫描件或文字已转为图形）".into())
        } else {
            ExtractError::NeedsOcr(format!(
                "PDF 共 {} 页，均没有可用的文字层（扫描件或字体缺少 Unicode 映射）{}",
                self.total,
                scans.why_unread()
            ))
        })
    }

    fn damaged_message(&self) -> String {
        format!(
            "PDF 文件不完整或已损坏，第 {} 页的内容无法读取",
            page_list(&self.damaged)
        )
    }

    fn warnings(&self, scans: &Scans) -> Vec<String> {
        let mut out = scans.warnings();
        if !self.needs_ocr.is_empty() && !scans.attempted() {
            out.push(format!(
                "第 {} 页没有可用的文字层（扫描图像或字体缺少 Unicode 映射），需要文字识别（OCR），这些页的内容未提取{}",
                page_list(&self.needs_ocr),
                scans.why_unread()
            ));
        }
        if !self.damaged.is_empty() {
            out.push(self.damaged_message());
        }
        out
    }
}

/// Opens the document. lopdf tries the empty user password by itself, so
/// files that are only protected against editing open normally. A file
/// whose cross-reference data cannot be read is tried once more with the
/// table rebuilt from a scan of its objects.
fn load(bytes: &[u8], ctx: &Context) -> Result<Document, ExtractError> {
    let options = |force_reconstruct| LoadOptions {
        max_decompressed_size: Some(
            usize::try_from(ctx.limits.max_decompressed_bytes).unwrap_or(usize::MAX),
        ),
        force_reconstruct,
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options(false))
        .or_else(|first| match first {
            lopdf::Error::InvalidPassword
            | lopdf::Error::Decryption(_)
            | lopdf::Error::Decompress(_) => Err(first),
            _ => Document::load_mem_with_options(bytes, options(true)).map_err(|_| first),
        })
        .map_err(|e| load_error(e, bytes))?;
    // An encrypted file that the empty password does not open loads
    // without objects and keeps `/Encrypt` in its trailer.
    if doc.trailer.has(b"Encrypt") && !doc.was_encrypted() {
        return Err(ExtractError::Encrypted("PDF 需要密码才能打开".into()));
    }
    Ok(doc)
}

fn load_error(e: lopdf::Error, bytes: &[u8]) -> ExtractError {
    match e {
        lopdf::Error::InvalidPassword => ExtractError::Encrypted("PDF 需要密码才能打开".into()),
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            ExtractError::TooLarge("PDF 解压后的数据量超过上限".into())
        }
        // Security handlers lopdf does not know fail in many ways.
        _ if memchr::memmem::find(bytes, b"/Encrypt").is_some() => {
            ExtractError::Encrypted("PDF 使用了无法处理的加密方式或需要密码".into())
        }
        other => ExtractError::Corrupt(format!("无法解析 PDF（{other}）")),
    }
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
        parts.push(if end > start + 1 {
            format!("{start}—{end}")
        } else if end == start + 1 {
            format!("{start}、{end}")
        } else {
            start.to_string()
        });
        i += 1;
    }
    parts.join("、")
}

/// The Info dictionary's Title, when it looks like a real title rather than
/// a file name or the name of the program that printed it.
fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = objects::resolve(doc, info).and_then(objects::as_dict)?;
    let title = objects::get(doc, info, b"Title")?;
    plausible_title(&decode_info_text(title)?)
}

/// PDFDocEncoding or UTF-16BE as the standard says, but also the UTF-8 and
/// GBK bytes without a byte-order mark that Chinese producers often write.
fn decode_info_text(obj: &lopdf::Object) -> Option<String> {
    let raw = obj.as_str().ok()?;
    let has_bom = raw.starts_with(&[0xFE, 0xFF]) || raw.starts_with(&[0xEF, 0xBB, 0xBF]);
    if !has_bom && raw.iter().any(|b| *b >= 0x80) {
        let chinese = |s: &str| s.chars().any(chars::is_ideograph);
        if let Ok(s) = std::str::from_utf8(raw)
            && chinese(s)
        {
            return Some(s.to_string());
        }
        if let Some(s) =
            encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(raw)
            && chinese(&s)
        {
            return Some(s.into_owned());
        }
    }
    lopdf::decode_text_string(obj).ok()
}

fn plausible_title(raw: &str) -> Option<String> {
    let title: String = raw
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string();
    let lower = title.to_lowercase();
    const PRINTERS: &[&str] = &[
        "microsoft word",
        "microsoft excel",
        "wps",
        "untitled",
        "无标题",
        "新建",
        "document",
    ];
    const EXTENSIONS: &[&str] = &[
        ".doc", ".docx", ".wps", ".pdf", ".txt", ".rtf", ".xls", ".xlsx", ".ofd", ".htm", ".html",
        ".tmp",
    ];
    let informative = title.chars().filter(|c| c.is_alphanumeric()).count() >= 4;
    let has_cjk = title.chars().any(chars::is_ideograph);
    let looks_like_file = EXTENSIONS.iter().any(|e| lower.ends_with(e))
        || title.contains('\\')
        || title.contains('/')
        || (!has_cjk && !title.contains(' '));
    if !informative
        || looks_like_file
        || PRINTERS.iter().any(|p| lower.starts_with(p))
        || title.chars().count() > 200
    {
        return None;
    }
    Some(title)
}
