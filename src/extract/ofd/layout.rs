//! Placed characters → lines: group by baseline, order lines top to bottom
//! (OFD's y grows downwards) and characters left to right.

use super::geometry::Rect;
use super::page::{Glyph, is_wide};

/// One line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Left edge of the first character and right edge of the last.
    pub x0: f32,
    pub x1: f32,
    /// Baseline (distance from the top of the page).
    pub y: f32,
    /// Typical font size of the line.
    pub size: f32,
}

/// The lines of one page, top to bottom, and the page box.
#[derive(Debug, Clone)]
pub struct PageLines {
    /// 1-based page number.
    pub page: u32,
    pub lines: Vec<Line>,
    pub area: Rect,
}

/// Baselines closer than this share a line (in ems of the larger glyph).
const BASELINE_TOLERANCE: f32 = 0.4;
/// A gap wider than this (in ems) between two CJK characters is a space.
const WIDE_GAP: f32 = 0.6;
/// A gap wider than this (in ems) next to a Latin character is a space.
const NARROW_GAP: f32 = 0.2;
/// The same character drawn again this close is a duplicate (fake bold).
const DUPLICATE_DISTANCE: f32 = 0.3;

pub fn page_lines(mut glyphs: Vec<Glyph>, page: u32, area: Rect) -> PageLines {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    let mut anchor: Option<(f32, f32)> = None;
    for g in glyphs {
        let same_line = anchor
            .is_some_and(|(y, size)| (g.y - y).abs() <= BASELINE_TOLERANCE * size.max(g.size));
        match groups.last_mut() {
            Some(group) if same_line => group.push(g),
            _ => {
                anchor = Some((g.y, g.size));
                groups.push(vec![g]);
            }
        }
    }
    let lines = groups.into_iter().filter_map(build_line).collect();
    PageLines { page, lines, area }
}

/// Orders one baseline's characters and writes them out, with a space
/// where the text has one or where the gap is too wide for running text.
fn build_line(mut glyphs: Vec<Glyph>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut text = String::new();
    let mut sizes: Vec<f32> = Vec::new();
    let mut prev: Option<Glyph> = None;
    let mut first: Option<Glyph> = None;
    let mut space = false;
    for g in glyphs {
        if g.ch == ' ' {
            space = true;
            continue;
        }
        if let Some(p) = prev {
            let near = DUPLICATE_DISTANCE * g.size.max(p.size);
            if p.ch == g.ch && (g.x - p.x).abs() < near && (g.y - p.y).abs() < near {
                continue;
            }
            let gap = g.x - (p.x + p.width);
            let em = p.size.max(g.size);
            let limit = if is_wide(p.ch) && is_wide(g.ch) {
                WIDE_GAP
            } else {
                NARROW_GAP
            };
            if space || gap > limit * em {
                text.push(' ');
            }
        }
        space = false;
        text.push(g.ch);
        sizes.push(g.size);
        first.get_or_insert(g);
        prev = Some(g);
    }
    let (first, last) = (first?, prev?);
    sizes.sort_by(f32::total_cmp);
    Some(Line {
        text,
        x0: first.x,
        x1: last.x + last.width,
        y: first.y,
        size: sizes.get(sizes.len() / 2).copied().unwrap_or(first.size),
    })
}

#[cfg(test)]
mod tests {
    use super::super::geometry::A4;
    use super::*;

    fn run(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut pen = x;
        text.chars()
            .map(|ch| {
                let width = match ch {
                    ' ' => 0.0,
                    c if is_wide(c) => size,
                    _ => size / 2.0,
                };
                let g = Glyph {
                    ch,
                    x: pen,
                    y,
                    size,
                    width,
                };
                pen += if ch == ' ' { size / 4.0 } else { width };
                g
            })
            .collect()
    }

    fn texts(page: &PageLines) -> Vec<&str> {
        page.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn runs_become_lines_in_reading_order() {
        let mut glyphs = run("竞争秩序。", 60.0, 50.2, 5.0);
        glyphs.extend(run("第二行", 20.0, 60.0, 5.0));
        glyphs.extend(run("维护公平", 40.0, 49.9, 5.0));
        glyphs.extend(run("第一条", 20.0, 50.0, 5.0));
        let page = page_lines(glyphs, 1, A4);
        assert_eq!(texts(&page), ["第一条 维护公平竞争秩序。", "第二行"]);
        let first = &page.lines[0];
        assert_eq!((first.x0, first.x1, first.size), (20.0, 85.0, 5.0));
    }

    #[test]
    fn spaces_gaps_and_duplicates() {
        let mut glyphs = run("Fair competition", 20.0, 30.0, 4.0);
        glyphs.extend(run("审查", 100.0, 30.0, 4.0));
        // Fake bold: the same characters again, slightly offset.
        glyphs.extend(run("审查", 100.2, 30.1, 4.0));
        let page = page_lines(glyphs, 1, A4);
        assert_eq!(texts(&page), ["Fair competition 审查"]);
        assert!(
            page_lines(run("   ", 0.0, 0.0, 4.0), 1, A4)
                .lines
                .is_empty()
        );
    }
}
