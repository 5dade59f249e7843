//! tesseract's TSV output → recognised lines with their boxes and confidence.
//!
//! Each row is `level page block par line word left top width height conf
//! text`; level 4 rows give a line's box, level 5 rows its words.

use std::collections::HashMap;

use super::cleanup::clean_line;
use crate::extract::pdf::chars::is_ideograph;

/// One recognised line of text, in image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based page of the image file (TIFF files have several).
    pub page: u32,
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    /// Cleaned text: no spaces between ideographs, full-width punctuation.
    pub text: String,
    /// Mean word confidence (0–1), weighted by characters.
    pub confidence: f32,
    /// Median height of its ideograph words: the type size, which the
    /// line box (stretched by brackets and commas) does not show reliably.
    pub glyph_height: i32,
}

impl Line {
    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

type LineKey = (u32, u32, u32, u32);

struct RawLine {
    page: u32,
    bbox: Option<(i32, i32, i32, i32)>,
    words: Vec<(String, f32)>,
    ideograph_heights: Vec<i32>,
}

/// Parses the TSV text; malformed rows are skipped.
pub fn parse(tsv: &str) -> Vec<Line> {
    let mut order: Vec<RawLine> = Vec::new();
    let mut index: HashMap<LineKey, usize> = HashMap::new();
    for row in tsv.lines() {
        let fields: Vec<&str> = row.split('\t').collect();
        let Some(row) = Row::parse(&fields) else {
            continue;
        };
        if row.level != 4 && row.level != 5 {
            continue;
        }
        let key = (row.page, row.block, row.par, row.line);
        let at = *index.entry(key).or_insert_with(|| {
            order.push(RawLine {
                page: row.page,
                bbox: None,
                words: Vec::new(),
                ideograph_heights: Vec::new(),
            });
            order.len() - 1
        });
        let Some(line) = order.get_mut(at) else {
            continue;
        };
        if row.level == 4 {
            line.bbox = Some(row.bbox);
        } else if !row.text.trim().is_empty() {
            if row.text.trim().chars().all(is_ideograph) {
                line.ideograph_heights.push(row.bbox.3 - row.bbox.1);
            }
            line.words
                .push((row.text.to_string(), (row.conf / 100.0).clamp(0.0, 1.0)));
        }
    }
    order.into_iter().filter_map(finish_line).collect()
}

fn finish_line(mut raw: RawLine) -> Option<Line> {
    let (left, top, right, bottom) = raw.bbox?;
    let words: Vec<&str> = raw.words.iter().map(|(w, _)| w.as_str()).collect();
    let text = clean_line(&words);
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let (mut weighted, mut chars) = (0.0f32, 0usize);
    for (word, conf) in &raw.words {
        let n = word.chars().count();
        weighted += conf * n as f32;
        chars += n;
    }
    raw.ideograph_heights.sort_unstable();
    let glyph_height = raw
        .ideograph_heights
        .get(raw.ideograph_heights.len() / 2)
        .copied()
        .unwrap_or(bottom - top);
    Some(Line {
        page: raw.page,
        left,
        top,
        right,
        bottom,
        text,
        confidence: if chars == 0 {
            0.0
        } else {
            weighted / chars as f32
        },
        glyph_height,
    })
}

struct Row<'a> {
    level: u32,
    page: u32,
    block: u32,
    par: u32,
    line: u32,
    bbox: (i32, i32, i32, i32),
    conf: f32,
    text: &'a str,
}

impl<'a> Row<'a> {
    fn parse(f: &[&'a str]) -> Option<Row<'a>> {
        let int = |i: usize| f.get(i)?.trim().parse::<i64>().ok();
        let small = |i: usize| u32::try_from(int(i)?).ok();
        let coord = |i: usize| i32::try_from(int(i)?).ok();
        let (left, top) = (coord(6)?, coord(7)?);
        let (width, height) = (coord(8)?, coord(9)?);
        let conf: f32 = f.get(10)?.trim().parse().ok()?;
        Some(Row {
            level: small(0)?,
            page: small(1)?,
            block: small(2)?,
            par: small(3)?,
            line: small(4)?,
            bbox: (
                left,
                top,
                left.saturating_add(width),
                top.saturating_add(height),
            ),
            conf: if conf.is_finite() { conf } else { 0.0 },
            text: f.get(11).copied().unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1240\t1754\t-1\t
4\t1\t1\t1\t1\t0\t148\t258\t461\t27\t-1\t
5\t1\t1\t1\t1\t1\t148\t261\t21\t23\t90\t各县
5\t1\t1\t1\t1\t2\t181\t261\t12\t22\t60\t(市
5\t1\t1\t1\t1\t3\t211\t260\t21\t23\t90\t)
4\t1\t1\t1\t2\t0\t150\t300\t400\t27\t-1\t
5\t1\t1\t1\t2\t1\t150\t300\t20\t20\t12\t.
garbage row
4\t2\t1\t1\t1\t0\t100\t100\t300\t30\t-1\t
5\t2\t1\t1\t1\t1\t100\t100\t40\t30\t80\tPM
5\t2\t1\t1\t1\t2\t150\t100\t40\t30\tnan\t2.5
";

    #[test]
    fn rows_become_cleaned_lines() {
        let lines = parse(SAMPLE);
        assert_eq!(lines.len(), 2, "{lines:?}");
        let first = &lines[0];
        assert_eq!(first.text, "各县（市）");
        assert_eq!(
            (first.left, first.top, first.right, first.bottom),
            (148, 258, 609, 285)
        );
        // (2×0.9 + 2×0.6 + 1×0.9) / 5
        assert!(
            (first.confidence - 0.78).abs() < 1e-4,
            "{}",
            first.confidence
        );
        assert_eq!(first.glyph_height, 23);
        assert_eq!(lines[1].page, 2);
        assert_eq!(lines[1].glyph_height, 30);
        assert_eq!(lines[1].text, "PM 2.5");
        assert!((lines[1].confidence - 0.32).abs() < 1e-4);
    }

    #[test]
    fn junk_input_gives_no_lines() {
        assert!(parse("").is_empty());
        assert!(
            parse("4\t1\t1\t1\t1\t0\tx\t0\t1\t1\t-1\t\n5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\t字")
                .is_empty()
        );
    }
}
