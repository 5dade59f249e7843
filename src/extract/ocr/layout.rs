//! Recognised lines of one page → paragraphs, with the same rule the PDF
//! text layer uses: a wrapped line joins the next one unless it ends a
//! sentence, the next line starts a clause or is indented, the line stops
//! short of the margin, or a gap or a size change separates them.

use std::sync::LazyLock;

use regex::Regex;

use super::cleanup::space_after_label;
use super::tsv::Line;
use crate::extract::pdf::paragraphs::{ends_sentence, starts_clause};

/// One paragraph of recognised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    pub heading: bool,
    /// Mean confidence of its lines (0–1), weighted by characters.
    pub confidence: f32,
}

/// Lines this short and this unsure are specks of dirt read as characters.
const SPECK_CHARS: usize = 3;
const SPECK_CONFIDENCE: f32 = 0.3;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—－–―\s]*[0-9]{1,4}[-—－–―\s]*|第\s*[0-9]{1,4}\s*页(?:\s*[，,]?\s*共\s*[0-9]{1,4}\s*页)?|[0-9]{1,4}\s*/\s*[0-9]{1,4})$")
        .expect("page number pattern is valid")
});

/// Measurements of the page the join rules compare against, in pixels.
struct Metrics {
    /// Usual line height.
    body: f32,
    /// Usual type size (ideograph height).
    glyph: f32,
    left: f32,
    right: f32,
}

pub fn paragraphs(lines: &[Line]) -> Vec<Paragraph> {
    let lines = content_lines(lines);
    let Some(m) = metrics(&lines) else {
        return Vec::new();
    };
    let mut out: Vec<Paragraph> = Vec::new();
    let mut chars_in_last = 0usize;
    let mut prev: Option<(&Line, bool)> = None;
    for line in lines {
        let heading = is_heading(line, &m);
        let joins = prev.is_some_and(|(p, p_heading)| joins(p, p_heading, line, heading, &m));
        let n = line.text.chars().count();
        match out.last_mut() {
            Some(para) if joins => {
                let total = chars_in_last + n;
                para.confidence = (para.confidence * chars_in_last as f32
                    + line.confidence * n as f32)
                    / total.max(1) as f32;
                join_text(&mut para.text, &line.text);
                chars_in_last = total;
            }
            _ => {
                out.push(Paragraph {
                    text: line.text.clone(),
                    heading,
                    confidence: line.confidence,
                });
                chars_in_last = n;
            }
        }
        prev = Some((line, heading));
    }
    for para in &mut out {
        para.text = space_after_label(&para.text);
    }
    out
}

/// Lines without specks and without a page number at the top or bottom.
fn content_lines(lines: &[Line]) -> Vec<&Line> {
    let mut kept: Vec<&Line> = lines
        .iter()
        .filter(|l| l.confidence >= SPECK_CONFIDENCE || l.text.chars().count() > SPECK_CHARS)
        .collect();
    let is_number = |l: &&Line| PAGE_NUMBER.is_match(l.text.trim());
    if kept.last().is_some_and(is_number) {
        kept.pop();
    }
    if kept.first().is_some_and(is_number) {
        kept.remove(0);
    }
    kept
}

fn metrics(lines: &[&Line]) -> Option<Metrics> {
    let mut heights: Vec<i32> = lines.iter().map(|l| l.height()).collect();
    heights.sort_unstable();
    let body = (*heights.get(heights.len() / 2)? as f32).max(1.0);
    let mut glyphs: Vec<i32> = lines.iter().map(|l| l.glyph_height).collect();
    glyphs.sort_unstable();
    let glyph = (*glyphs.get(glyphs.len() / 2)? as f32).max(1.0);
    let mut rights: Vec<i32> = lines.iter().map(|l| l.right).collect();
    rights.sort_unstable();
    let right = *rights.get(rights.len() * 4 / 5)? as f32;
    Some(Metrics {
        body,
        glyph,
        left: left_margin(lines, body)?,
        right,
    })
}

/// Left edge of the text: the leftmost half-line-height bucket of line
/// starts holding a fair share of the lines. Not the most common one: a page
/// of short paragraphs has more indented first lines than flush ones.
fn left_margin(lines: &[&Line], body: f32) -> Option<f32> {
    let width = (body / 2.0).max(1.0);
    let mut buckets: Vec<(i64, usize)> = Vec::new();
    for l in lines {
        let key = (l.left as f32 / width).floor() as i64;
        match buckets.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => buckets.push((key, 1)),
        }
    }
    let enough = (lines.len() / 10).max(2);
    let key = buckets
        .iter()
        .filter(|(_, n)| *n >= enough)
        .map(|(k, _)| *k)
        .min()
        .or_else(|| buckets.iter().map(|(k, _)| *k).min())?;
    // The bucket's lower edge, plus a little for skew and specks.
    Some(key as f32 * width + width)
}

/// Larger than the body text, or centred, and not a sentence.
fn is_heading(line: &Line, m: &Metrics) -> bool {
    if ends_sentence(&line.text) || line.text.chars().count() > 60 {
        return false;
    }
    let larger = line.glyph_height as f32 >= 1.25 * m.glyph;
    let before = line.left as f32 - m.left;
    let after = m.right - line.right as f32;
    let centred = before > 3.0 * m.body && (before - after).abs() < 1.5 * m.body;
    larger || centred
}

fn joins(prev: &Line, prev_heading: bool, next: &Line, next_heading: bool, m: &Metrics) -> bool {
    let gap = (next.top - prev.bottom) as f32;
    if prev_heading || next_heading {
        // A title wrapped over two lines.
        return prev_heading && next_heading && gap < 1.2 * m.body;
    }
    let indented = next.left as f32 > m.left + m.body;
    let short = (prev.right as f32) < m.right - 2.5 * m.body;
    !(ends_sentence(&prev.text)
        || starts_clause(&next.text)
        || indented
        || short
        || gap > 1.5 * m.body
        || next.page != prev.page)
}

/// Wrapped Chinese text joins without a space; Latin words keep one.
fn join_text(text: &mut String, next: &str) {
    let last = text.chars().next_back();
    let first = next.chars().next();
    if last.is_some_and(|c| c.is_ascii_alphanumeric())
        && first.is_some_and(|c| c.is_ascii_alphanumeric())
    {
        text.push(' ');
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line in a page whose body text starts at x=150 with 28 px lines.
    fn line(row: i32, left: i32, right: i32, text: &str) -> Line {
        Line {
            page: 1,
            left,
            top: 200 + row * 40,
            right,
            bottom: 228 + row * 40,
            text: text.into(),
            confidence: 0.9,
            glyph_height: 24,
        }
    }

    #[test]
    fn wrapped_lines_join_and_clauses_start_paragraphs() {
        let mut lines = [
            line(0, 400, 840, "关于清理妨碍公平竞争政策措施的通知"),
            line(2, 150, 610, "各县（市、区）人民政府："),
            line(
                3,
                200,
                1090,
                "为持续优化营商环境，保障各类经营主体依法平等使用生产要素",
            ),
            line(4, 150, 820, "根据有关规定，现将有关事项通知如下。"),
            line(
                5,
                200,
                1090,
                "第一条本通知所称政策措施，是指行政机关制定的涉及经营主体",
            ),
            line(6, 150, 1088, "经济活动的规章和规范性文件"),
            line(7, 150, 660, "（一）不得设定市场准入障碍。"),
            line(
                8,
                200,
                1085,
                "二、清理影响生产经营成本的规定，不得违法给予特定经营者税",
            ),
            line(9, 152, 560, "收优惠"),
            line(11, 850, 1040, "市市场监督管理局"),
            line(12, 880, 1040, "2024年8月20日"),
            line(13, 600, 640, "- 1 -"),
        ];
        // A bracket stretches a line box; the type size stays the body's.
        lines[5].top -= 8;
        let paras = paragraphs(&lines);
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "关于清理妨碍公平竞争政策措施的通知",
                "各县（市、区）人民政府：",
                "为持续优化营商环境，保障各类经营主体依法平等使用生产要素根据有关规定，现将有关事项通知如下。",
                "第一条 本通知所称政策措施，是指行政机关制定的涉及经营主体经济活动的规章和规范性文件",
                "（一）不得设定市场准入障碍。",
                "二、清理影响生产经营成本的规定，不得违法给予特定经营者税收优惠",
                "市市场监督管理局",
                "2024年8月20日",
            ]
        );
        assert!(paras[0].heading);
        assert!(paras[1..].iter().all(|p| !p.heading));
    }

    #[test]
    fn specks_are_dropped_and_confidence_is_weighted() {
        let mut speck = line(1, 150, 160, "、");
        speck.confidence = 0.1;
        let mut second = line(1, 150, 1090, "二三");
        second.confidence = 0.6;
        let first = line(0, 150, 1090, "一二三四");
        let paras = paragraphs(&[first, speck, second]);
        assert_eq!(paras.len(), 1);
        assert_eq!(paras[0].text, "一二三四二三");
        assert!((paras[0].confidence - 0.8).abs() < 1e-4);
        assert!(paragraphs(&[]).is_empty());
    }
}
