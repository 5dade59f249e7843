//! Web pages saved from government portals (`.html`, `.htm`, `.shtml`, and
//! `.doc` files that are really HTML).
//!
//! Steps: bytes → text with the page's charset checked against the bytes
//! ([`charset`]); a cheap nesting check before parsing ([`guard`]); parsing
//! with `scraper`; finding the article container ([`content`]); turning it into
//! one block per paragraph, heading or table cell ([`blocks`]); dropping
//! portal furniture line by line ([`boilerplate`]); metadata from `<meta>`
//! tags ([`meta`]).
//!
//! Deep nesting: every walk over the tree is iterative. Elements deeper than
//! `limits.max_depth` are cut (their text is left out) and a warning says so,
//! so a page with one absurd corner still gets reviewed. Pages whose nesting
//! is estimated far beyond that (see [`guard`]) are refused with `TooLarge`
//! before parsing, because the parser's cost grows with depth × tags.

mod blocks;
mod boilerplate;
mod charset;
mod content;
mod dom;
mod guard;
mod meta;
#[cfg(test)]
mod tests;
mod title;

use scraper::{ElementRef, Html};

use super::text::TextBuilder;
use super::{BlockKind, Context, ExtractError, Extracted, Extractor};
use blocks::Line;

pub struct HtmlExtractor;

impl Extractor for HtmlExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        if bytes.len() as u64 > ctx.limits.max_file_bytes {
            return Err(ExtractError::TooLarge(format!(
                "网页文件超过 {} MB",
                ctx.limits.max_file_bytes / (1024 * 1024)
            )));
        }
        let page = charset::decode_page(bytes);
        ctx.deadline.check()?;
        guard::check_nesting(&page.text, ctx)?;
        let doc = Html::parse_document(&page.text);
        ctx.deadline.check()?;
        let mut extracted = extract_document(&doc, ctx)?;
        extracted.warnings.splice(0..0, page.warnings);
        Ok(extracted)
    }
}

/// Everything after parsing: content, blocks, hints.
fn extract_document(doc: &Html, ctx: &Context) -> Result<Extracted, ExtractError> {
    let hints = meta::hints(doc);
    let layout = content::locate(doc, ctx)?;
    let body = blocks::collect(layout.root, &layout.stats, ctx)?;
    let title = match layout.title {
        Some(el) => title_line(el, &layout.stats, ctx)?,
        None => None,
    };

    let mut builder = TextBuilder::new();
    let mut paragraph = 0u32;
    let mut push = |builder: &mut TextBuilder, kind, text: &str, cell| {
        builder.push_cell(kind, text, None, Some(paragraph), cell);
        paragraph += 1;
    };
    if let Some(title) = &title {
        push(&mut builder, BlockKind::Heading, title, None);
    }
    let mut first = true;
    for (i, line) in keep_content(&body.lines, ctx)?.into_iter().enumerate() {
        if i.is_multiple_of(1024) {
            ctx.deadline.check()?;
            if builder.len_bytes() > ctx.limits.max_text_bytes {
                return Err(ExtractError::TooLarge(format!(
                    "提取出的文本超过 {} MB",
                    ctx.limits.max_text_bytes / (1024 * 1024)
                )));
            }
        }
        // The title found above the content is often repeated as its first line.
        if first && title.as_deref().map(str::trim) == Some(line.text.trim()) {
            first = false;
            continue;
        }
        first = false;
        push(&mut builder, line.kind, &line.text, line.cell);
    }

    let mut extracted = builder.finish();
    extracted.hints = hints;
    if layout.cut || body.cut {
        extracted.warnings.push(format!(
            "网页元素嵌套超过 {} 层，更深层的内容已忽略",
            ctx.limits.max_depth
        ));
    }
    if extracted.text.is_empty() {
        extracted.warnings.push("网页中未找到正文内容".into());
    }
    Ok(extracted)
}

/// The title element above the content, as one line.
fn title_line(
    el: ElementRef,
    stats: &std::collections::HashMap<usize, content::Stats>,
    ctx: &Context,
) -> Result<Option<String>, ExtractError> {
    let lines = blocks::collect(el, stats, ctx)?.lines;
    let text = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// Drops furniture lines, cuts inline widgets, and skips link lists that
/// follow a "相关链接" heading.
fn keep_content(lines: &[Line], ctx: &Context) -> Result<Vec<Line>, ExtractError> {
    let mut kept = Vec::with_capacity(lines.len());
    let mut in_related = false;
    for (i, line) in lines.iter().enumerate() {
        if i.is_multiple_of(1024) {
            ctx.deadline.check()?;
        }
        let text = boilerplate::strip_widgets(&line.text);
        if boilerplate::is_furniture_line(&text) {
            continue;
        }
        let mostly_links = line.chars > 0 && line.link_chars * 10 >= line.chars * 8;
        if let Some(rest) = boilerplate::related_heading(&text)
            && (rest.is_empty() || mostly_links)
        {
            in_related = true;
            continue;
        }
        if in_related && mostly_links {
            continue;
        }
        in_related = false;
        kept.push(Line { text, ..*line });
    }
    Ok(kept)
}
