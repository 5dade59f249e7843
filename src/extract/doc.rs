//! Word 97–2003 binary documents (.doc) and Kingsoft WPS files (.wps, WPS
//! Office 2005 and later, which store the same Word binary layout).
//!
//! The OLE container ([`ole`]) yields the WordDocument stream and a table
//! stream; the FIB ([`fib`]) says where everything is. Text comes from the
//! piece table ([`pieces`]) in character-position (CP) order, one story after
//! another: main text, footnotes, headers, comments (not read), endnotes,
//! text boxes. They come out as main text, footnotes, endnotes, headers and
//! footers, text boxes.
//! Paragraph properties ([`papx`]) give table cells and list membership;
//! character properties ([`chpx`]) mark text deleted under revision tracking; the
//! style sheet ([`styles`]) gives headings and style-level numbering; the list
//! tables ([`lists`]) give back the automatic labels (一、 （一） 1.) that
//! clause structure depends on.

mod bytes;
mod chpx;
mod fib;
mod fkp;
mod lists;
mod numfmt;
mod ole;
mod papx;
mod pieces;
mod sprm;
mod styles;
mod summary;
mod text;

#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::collections::HashSet;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};

use self::bytes::{span, u32_at};
use self::chpx::Deleted;
use self::fib::Fib;
use self::lists::Lists;
use self::ole::Ole;
use self::papx::ParaMap;
use self::pieces::Pieces;
use self::styles::Styles;
use self::text::{Doc, Para, Story, read_story};
use super::text::TextBuilder;
use super::{BlockKind, Context, ExtractError, Extracted, Extractor};

pub struct DocExtractor;

impl Extractor for DocExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        // Last line of defence for the container parser; our own code does
        // not panic on any input.
        catch_unwind(AssertUnwindSafe(|| extract_doc(bytes, ctx)))
            .unwrap_or_else(|_| Err(ExtractError::Corrupt("Word 文档结构异常，解析中止".into())))
    }
}

fn extract_doc(bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
    let mut ole = Ole::open(bytes, ctx)?;
    let Some(word) = ole.read("WordDocument")? else {
        return Err(ExtractError::Unsupported(
            "OLE 文件中没有 Word 正文数据流（WordDocument），可能是早期 WPS 格式或其他 Office 文件，请用 WPS 或 Word 另存为 .docx 后再审查".into(),
        ));
    };
    let fib = Fib::parse(&word)?;
    ctx.deadline.check()?;
    let mut warnings = Vec::new();
    let table = table_stream(&mut ole, &fib, &mut warnings)?;
    let (fc, lcb) = fib.pair(fib::CLX);
    let clx = span(&table, fc, lcb)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ExtractError::Corrupt("文本片段表（CLX）的位置超出表数据流".into()))?;
    let pieces = Pieces::from_clx(clx, word.len())?;

    let paras = ParaMap::load(
        &word,
        &table,
        fib.pair(fib::PLCF_BTE_PAPX),
        ctx,
        &mut warnings,
    )?;
    let deleted = Deleted::load(
        &word,
        &table,
        fib.pair(fib::PLCF_BTE_CHPX),
        ctx,
        &mut warnings,
    )?;
    let (fc, lcb) = fib.pair(fib::STSHF);
    let styles = match span(&table, fc, lcb) {
        Some(stsh) => Styles::parse(stsh, ctx)?,
        None => Styles::default(),
    };
    let mut lists = Lists::parse(&table, fib.pair(fib::PLF_LST), fib.pair(fib::PLF_LFO), ctx)?;
    let doc = Doc {
        word: &word,
        pieces: &pieces,
        paras: &paras,
        deleted: &deleted,
        styles: &styles,
        kept: Cell::new(0),
    };
    let stories = StoryRanges::new(&fib, pieces.end_cp(), &mut warnings);

    let mut builder = TextBuilder::new();
    let mut push = |paras: Vec<Para>| {
        for p in paras {
            builder.push_cell(p.kind, &p.text, None, p.index, p.cell);
        }
    };
    push(read_story(
        &doc,
        &mut lists,
        stories.main.clone(),
        Story::Main,
        ctx,
    )?);
    let notes = [
        (&stories.footnotes, BlockKind::Footnote),
        (&stories.endnotes, BlockKind::Endnote),
    ];
    for (range, kind) in notes {
        push(read_story(
            &doc,
            &mut lists,
            range.clone(),
            Story::Other(kind),
            ctx,
        )?);
    }
    push(headers_and_footers(
        &doc, &mut lists, &table, &fib, &stories, ctx,
    )?);
    for range in [&stories.text_boxes, &stories.header_text_boxes] {
        let kind = Story::Other(BlockKind::TextBox);
        push(read_story(&doc, &mut lists, range.clone(), kind, ctx)?);
    }

    let mut extracted = builder.finish();
    extracted.hints.title = ole
        .read("\u{5}SummaryInformation")
        .ok()
        .flatten()
        .and_then(|s| summary::title(&s));
    extracted.warnings = warnings;
    Ok(extracted)
}

/// The table stream the FIB names; the other one, with a warning, when a
/// writer got the flag wrong.
fn table_stream(
    ole: &mut Ole,
    fib: &Fib,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>, ExtractError> {
    let (named, other) = if fib.table_1 {
        ("1Table", "0Table")
    } else {
        ("0Table", "1Table")
    };
    if let Some(table) = ole.read(named)? {
        return Ok(table);
    }
    match ole.read(other)? {
        Some(table) => {
            warnings.push(format!(
                "文档头指向表数据流 {named}，但只有 {other}，已改用后者"
            ));
            Ok(table)
        }
        None => Err(ExtractError::Corrupt(
            "缺少表数据流（0Table/1Table）".into(),
        )),
    }
}

/// CP ranges of the stories, in the order they follow each other.
struct StoryRanges {
    main: Range<u32>,
    footnotes: Range<u32>,
    headers: Range<u32>,
    endnotes: Range<u32>,
    text_boxes: Range<u32>,
    header_text_boxes: Range<u32>,
}

impl StoryRanges {
    /// Ranges past the end of the piece table are cut short, with a warning.
    fn new(fib: &Fib, end: u32, warnings: &mut Vec<String>) -> StoryRanges {
        let c = fib.ccp;
        let mut at = 0u64;
        let mut clipped = false;
        let mut next = |len: u32| {
            let start = at.min(u64::from(end));
            at += u64::from(len);
            clipped |= at > u64::from(end);
            start as u32..at.min(u64::from(end)) as u32
        };
        let main = next(c.text);
        let footnotes = next(c.ftn);
        let headers = next(c.hdd);
        next(c.mcr);
        next(c.atn);
        let endnotes = next(c.edn);
        let text_boxes = next(c.txbx);
        let header_text_boxes = next(c.hdr_txbx);
        if clipped {
            warnings.push("文档头记录的字符数超出文本片段表，部分内容可能缺失".into());
        }
        StoryRanges {
            main,
            footnotes,
            headers,
            endnotes,
            text_boxes,
            header_text_boxes,
        }
    }
}

/// Header and footer stories, split by PlcfHdd. The first six stories are
/// note separators; then each section has six: even header, odd header, even
/// footer, odd footer, first-page header, first-page footer. A line repeated
/// by several of them is kept once.
fn headers_and_footers(
    doc: &Doc,
    lists: &mut Lists,
    table: &[u8],
    fib: &Fib,
    stories: &StoryRanges,
    ctx: &Context,
) -> Result<Vec<Para>, ExtractError> {
    let range = &stories.headers;
    if range.is_empty() {
        return Ok(Vec::new());
    }
    let (fc, lcb) = fib.pair(fib::PLCF_HDD);
    let Some(plc) = span(table, fc, lcb).filter(|p| p.len() >= 8) else {
        // Without the story index the whole header text still reads as headers.
        return read_story(
            doc,
            lists,
            range.clone(),
            Story::Other(BlockKind::Header),
            ctx,
        );
    };
    let cps: Vec<u32> = (0..plc.len() / 4)
        .filter_map(|i| u32_at(plc, i * 4))
        .collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (i, pair) in cps.windows(2).enumerate().skip(6) {
        ctx.deadline.check()?;
        let start = range.start.saturating_add(pair[0]).min(range.end);
        let end = range.start.saturating_add(pair[1]).min(range.end);
        if start >= end {
            continue;
        }
        let kind = match (i - 6) % 6 {
            2 | 3 | 5 => BlockKind::Footer,
            _ => BlockKind::Header,
        };
        for p in read_story(doc, lists, start..end, Story::Other(kind), ctx)? {
            if seen.insert((p.kind == BlockKind::Footer, p.text.clone())) {
                out.push(p);
            }
        }
    }
    Ok(out)
}
