//! Text recognition (OCR) for scanned pages and image files.
//!
//! The `tesseract` program does the recognition ([`engine`]); its TSV
//! output is read line by line with word confidences ([`tsv`]), tidied the
//! way Chinese text is typed ([`cleanup`]) and wrapped lines are joined into
//! paragraphs ([`layout`]). Image headers are checked before anything
//! decodes them ([`header`]). The PDF extractor uses the same engine for
//! pages without a text layer.

mod cleanup;
mod engine;
pub mod header;
mod layout;
pub mod pnm;
pub mod process;
#[cfg(test)]
mod tests;
mod tsv;

pub use engine::{Ocr, RecognisedPage};
pub use layout::Paragraph;

use super::text::TextBuilder;
use super::{BlockKind, Context, ExtractError, Extracted, Extractor};

/// Pages recognised with less confidence than this are noise (a photo, a
/// drawing, glyphs of a font without Unicode), not text worth reviewing.
pub const MIN_PAGE_CONFIDENCE: f32 = 0.5;

/// Confidence as a whole percentage for messages.
pub fn percent(confidence: f32) -> u32 {
    (confidence.clamp(0.0, 1.0) * 100.0).round() as u32
}

pub struct ImageExtractor;

impl Extractor for ImageExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        header::check(bytes)?;
        let ocr = Ocr::installed()?;
        let workdir = tempfile::tempdir()?;
        let image = workdir.path().join("image");
        std::fs::write(&image, bytes)?;
        let pages = ocr.recognise(&image, workdir.path(), ctx)?;
        image_text(&pages)
    }
}

/// The text of an image file's pages, or why there is none.
fn image_text(pages: &[RecognisedPage]) -> Result<Extracted, ExtractError> {
    let (kept, doubtful): (Vec<&RecognisedPage>, Vec<&RecognisedPage>) = pages
        .iter()
        .filter(|p| !p.paragraphs.is_empty())
        .partition(|p| p.confidence >= MIN_PAGE_CONFIDENCE);
    if kept.is_empty() {
        return Err(match doubtful.first() {
            Some(page) => ExtractError::NeedsOcr(format!(
                "已对图片进行文字识别（OCR），但识别置信度过低（{}%），图片可能不含文字或过于模糊",
                percent(page.confidence)
            )),
            None => ExtractError::NeedsOcr(
                "已对图片进行文字识别（OCR），但未识别出文字（图片可能不含文字或过于模糊）".into(),
            ),
        });
    }
    let mut builder = TextBuilder::new();
    push_pages(&mut builder, kept.iter().map(|p| (p.number, *p)), 0);
    let mut extracted = builder.finish();
    let chars: usize = kept.iter().map(|p| page_chars(p)).sum();
    let mean = kept
        .iter()
        .map(|p| p.confidence * page_chars(p) as f32)
        .sum::<f32>()
        / chars.max(1) as f32;
    extracted.warnings.push(format!(
        "图片中的文字由文字识别（OCR）得到，平均置信度 {}%，可能存在识别错误，引用前请与原件核对",
        percent(mean)
    ));
    for page in doubtful {
        extracted.warnings.push(format!(
            "图片第 {} 页的识别置信度过低（{}%），内容未采用",
            page.number,
            percent(page.confidence)
        ));
    }
    Ok(extracted)
}

/// Appends recognised pages as blocks marked with their OCR confidence,
/// numbering paragraphs from `first_paragraph`; returns the next number.
pub fn push_pages<'a>(
    builder: &mut TextBuilder,
    pages: impl IntoIterator<Item = (u32, &'a RecognisedPage)>,
    first_paragraph: u32,
) -> u32 {
    let mut next = first_paragraph;
    for (page, recognised) in pages {
        for para in &recognised.paragraphs {
            let kind = if para.heading {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            };
            builder.push_with_ocr(
                kind,
                &para.text,
                Some(page),
                Some(next),
                Some(para.confidence),
            );
            next += 1;
        }
    }
    next
}

fn page_chars(page: &RecognisedPage) -> usize {
    page.paragraphs.iter().map(|p| p.text.chars().count()).sum()
}
