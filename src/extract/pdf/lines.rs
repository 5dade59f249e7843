//! Glyphs → lines: bring the page into its reading orientation, group glyphs
//! by baseline, order lines top to bottom and glyphs left to right. Columns
//! and tables are first set apart by [`super::layout`].

use super::chars::{is_suspect, is_wide};
use super::content::{Glyph, PageText, Segment};
use super::{layout, rules};
use crate::extract::CellPos;

/// One line of text in the page's reading frame (y grows upwards).
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub text: String,
    /// Left edge of the first visible glyph and right edge of the last.
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Typical font size of the line.
    pub size: f32,
    /// Which part of the page the line belongs to: 0 for text across the
    /// page, another number for each column or table cell.
    pub region: u32,
    /// A whole table cell, its lines already joined.
    pub cell: bool,
    /// A cell's row and grid column; `table` counts the tables of the page.
    pub pos: Option<CellPos>,
}

/// The lines of one page, top to bottom, and the page box in the same frame.
#[derive(Debug, Clone)]
pub struct PageLines {
    pub page: u32,
    pub lines: Vec<Line>,
    pub left: f32,
    pub right: f32,
    pub bottom: f32,
    pub top: f32,
}

/// Gap (in ems) above which a space separates two Latin glyphs.
const LATIN_GAP: f32 = 0.15;
/// Gap (in ems) above which even CJK glyphs are separated (table columns).
const WIDE_GAP: f32 = 1.0;

/// A glyph moved into the reading frame.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub x: f32,
    pub y: f32,
    pub advance: f32,
    pub size: f32,
    pub text: &'a str,
}

impl Placed<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

pub fn page_lines(page: &PageText, number: u32) -> PageLines {
    let quarter = dominant_quarter(page);
    let [bx0, by0, bx1, by1] = page.bbox;
    let corners =
        [(bx0, by0), (bx1, by1), (bx0, by1), (bx1, by0)].map(|(x, y)| turn(quarter, x, y));
    let left = corners.iter().map(|c| c.0).fold(f32::INFINITY, f32::min);
    let right = corners
        .iter()
        .map(|c| c.0)
        .fold(f32::NEG_INFINITY, f32::max);
    let bottom = corners.iter().map(|c| c.1).fold(f32::INFINITY, f32::min);
    let top = corners
        .iter()
        .map(|c| c.1)
        .fold(f32::NEG_INFINITY, f32::max);

    let mut placed: Vec<Placed> = page
        .glyphs
        .iter()
        .filter(|g| g.mapped && quarter_of(g) == Some(quarter))
        .filter_map(|g| {
            let (x, y) = turn(quarter, g.x, g.y);
            let inside = x >= left - 2.0 && x <= right + 2.0 && y >= bottom - 2.0 && y <= top + 2.0;
            let text = page.glyph_text(g);
            // Replacement and private-use characters carry no text.
            let readable = !text.is_empty() && !text.chars().all(is_suspect);
            (inside && readable).then_some(Placed {
                x,
                y,
                advance: g.advance,
                size: g.size.max(1.0),
                text,
            })
        })
        .collect();
    sort_for_reading(&mut placed);
    let segments: Vec<Segment> = page
        .segments
        .iter()
        .map(|s| {
            let (x0, y0) = turn(quarter, s.x0, s.y0);
            let (x1, y1) = turn(quarter, s.x1, s.y1);
            Segment { x0, y0, x1, y1 }
        })
        .collect();
    let lines = layout::arrange(&placed, &rules::grids(&segments));
    PageLines {
        page: number,
        lines,
        left,
        right,
        bottom,
        top,
    }
}

/// Top to bottom, then left to right.
pub fn sort_for_reading(glyphs: &mut [Placed]) {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
}

/// Groups glyphs sorted by [`sort_for_reading`] into rows sharing a baseline.
pub fn baseline_rows<'a>(glyphs: &[Placed<'a>]) -> Vec<Vec<Placed<'a>>> {
    let mut rows = Vec::new();
    let mut current: Vec<Placed> = Vec::new();
    let mut line_y = 0.0f32;
    let mut line_size = 0.0f32;
    for g in glyphs {
        let joins = !current.is_empty() && (line_y - g.y).abs() <= 0.5 * line_size.max(g.size);
        if !joins {
            if !current.is_empty() {
                rows.push(std::mem::take(&mut current));
            }
            line_y = g.y;
            line_size = g.size;
        }
        line_size = line_size.max(g.size);
        current.push(*g);
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows
}

/// Font size of most characters outside tables: the body size.
pub fn body_size(pages: &[PageLines]) -> f32 {
    let mut sizes: Vec<(f32, usize)> = pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| !l.cell)
        .map(|l| (l.size, l.text.chars().count()))
        .collect();
    sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = sizes.iter().map(|s| s.1).sum();
    let mut acc = 0;
    for (size, n) in &sizes {
        acc += n;
        if acc * 2 >= total {
            return *size;
        }
    }
    12.0
}

/// Which quarter turn (0..4) a glyph's writing direction is, or None when
/// it is skewed (diagonal watermarks, stamps).
fn quarter_of(g: &Glyph) -> Option<u8> {
    let angle = g.dir.1.atan2(g.dir.0).to_degrees();
    let turns = (angle / 90.0).round();
    if (angle - turns * 90.0).abs() > 15.0 {
        return None;
    }
    Some((turns as i32).rem_euclid(4) as u8)
}

/// The writing direction most visible glyphs share.
fn dominant_quarter(page: &PageText) -> u8 {
    let mut counts = [0usize; 4];
    for g in &page.glyphs {
        if let Some(q) = quarter_of(g)
            && g.mapped
            && !page.glyph_text(g).trim().is_empty()
        {
            counts[q as usize] += 1;
        }
    }
    (0..4u8)
        .max_by_key(|&q| (counts[q as usize], 4 - q))
        .unwrap_or(0)
}

/// Rotates a point so that writing direction `quarter` becomes left-to-right.
fn turn(quarter: u8, x: f32, y: f32) -> (f32, f32) {
    match quarter {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

pub fn build_line(mut glyphs: Vec<Placed>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut text = String::new();
    let mut x0: Option<f32> = None;
    let mut x1 = f32::NEG_INFINITY;
    let mut prev: Option<&Placed> = None;
    for g in &glyphs {
        if let Some(p) = prev {
            // The same glyph drawn twice, slightly offset: fake bold or shadow.
            if p.text == g.text && (g.x - p.x).abs() < 0.2 * g.size {
                continue;
            }
            let gap = g.x - (p.x + p.advance);
            let size = p.size.max(g.size);
            let last = text.chars().next_back();
            let first = g.text.chars().next();
            let boundary_wide = last.is_some_and(is_wide) || first.is_some_and(is_wide);
            let has_space =
                last.is_some_and(char::is_whitespace) || first.is_some_and(char::is_whitespace);
            if !has_space && (gap > WIDE_GAP * size || (gap > LATIN_GAP * size && !boundary_wide)) {
                text.push(' ');
            }
        }
        if g.text.trim().is_empty() {
            if !text.ends_with(' ') {
                text.push(' ');
            }
        } else {
            text.push_str(g.text);
            x0.get_or_insert(g.x);
            x1 = x1.max(g.x + g.advance);
        }
        prev = Some(g);
    }
    let text = text.trim().to_string();
    let x0 = x0?;
    if text.is_empty() {
        return None;
    }
    let mut sizes: Vec<f32> = glyphs.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    Some(Line {
        text,
        x0,
        x1,
        y: glyphs.first().map_or(0.0, |g| g.y),
        size: sizes.get(sizes.len() / 2).copied().unwrap_or(1.0),
        ..Line::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(glyphs: &[(f32, f32, f32, &str)]) -> PageText {
        let mut p = PageText {
            bbox: [0.0, 0.0, 600.0, 800.0],
            ..PageText::default()
        };
        for &(x, y, adv, t) in glyphs {
            let start = p.text.len() as u32;
            p.text.push_str(t);
            p.glyphs.push(Glyph {
                x,
                y,
                dir: (1.0, 0.0),
                advance: adv,
                size: 10.0,
                start,
                end: p.text.len() as u32,
                mapped: true,
            });
        }
        p
    }

    #[test]
    fn groups_by_baseline_and_orders_by_x() {
        let p = page(&[
            (30.0, 700.0, 10.0, "条"),
            (10.0, 700.0, 10.0, "第"),
            (20.0, 701.0, 10.0, "一"),
            (10.0, 680.0, 5.0, "a"),
            (17.0, 680.0, 5.0, "b"),
            (22.0, 680.0, 5.0, "c"),
            (10.0, 660.0, 10.0, "中"),
            (40.0, 660.0, 10.0, "文"),
        ]);
        let lines = page_lines(&p, 1).lines;
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["第一条", "a bc", "中 文"]);
        assert_eq!(lines[0].x0, 10.0);
        assert_eq!(lines[0].x1, 40.0);
    }

    #[test]
    fn duplicates_and_diagonals_are_dropped() {
        let mut p = page(&[
            (10.0, 700.0, 10.0, "公"),
            (10.3, 700.2, 10.0, "公"),
            (20.0, 700.0, 10.0, "平"),
            (100.0, 400.0, 10.0, "水"),
        ]);
        p.glyphs[3].dir = (
            std::f32::consts::FRAC_1_SQRT_2,
            std::f32::consts::FRAC_1_SQRT_2,
        );
        let lines = page_lines(&p, 1).lines;
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "公平");
    }

    #[test]
    fn vertical_writing_reads_columns_right_to_left() {
        let mut p = page(&[
            (500.0, 700.0, 10.0, "第"),
            (500.0, 690.0, 10.0, "一"),
            (480.0, 700.0, 10.0, "条"),
        ]);
        for g in &mut p.glyphs {
            g.dir = (0.0, -1.0);
        }
        let lines = page_lines(&p, 1).lines;
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["第一", "条"]);
    }
}
