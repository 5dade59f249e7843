//! Lines → paragraphs. A wrapped line runs on into the next one unless it
//! ends a sentence, or the next line is indented, starts a clause label or
//! changes the type size. Page breaks count as line wraps.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{Line, PageLines};
use super::page::is_wide;

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// Page where the paragraph starts.
    pub page: u32,
    pub heading: bool,
}

/// Clause labels that open a new paragraph at the start of a line:
/// 第X章/节/条, 一、, （一）, 1. / 1、, （1）, 1）, 附件, ①.
static CLAUSE_START: LazyLock<Regex> = LazyLock::new(|| {
    let cn = "[一二三四五六七八九十百千零〇两]";
    let digits = "[0-9０-９]";
    Regex::new(&format!(
        r"^(?:第(?:{cn}+|{digits}+)[章节条款编部分篇]|{cn}+[、．.]|[（(]{cn}+[）)]|[（(]{digits}{{1,3}}[）)]|{digits}{{1,3}}[）)]|{digits}{{1,3}}(?:、|[.．](?:[^0-9０-９]|$))|附件|附：|[①-⑳])"
    ))
    .expect("clause pattern is valid")
});

pub fn starts_clause(text: &str) -> bool {
    CLAUSE_START.is_match(text.trim_start())
}

/// The line ends a sentence or announces what follows (closing quotes and
/// brackets after the mark do not matter).
pub fn ends_sentence(text: &str) -> bool {
    let last = text
        .trim_end()
        .trim_end_matches(['”', '’', '」', '』', '）', ')', '】', '》', '"'])
        .chars()
        .next_back();
    matches!(
        last,
        Some('。' | '！' | '？' | '；' | '：' | '!' | '?' | ';' | ':')
    )
}

/// Font size that most characters are set in.
pub fn body_size(pages: &[PageLines]) -> f32 {
    let mut sizes: Vec<(f32, usize)> = Vec::new();
    for line in pages.iter().flat_map(|p| &p.lines) {
        let n = line.text.chars().count();
        match sizes
            .iter_mut()
            .find(|(s, _)| (s - line.size).abs() <= 0.05 * s)
        {
            Some((_, count)) => *count += n,
            None => sizes.push((line.size, n)),
        }
    }
    sizes
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(1.0, |(s, _)| *s)
        .max(0.1)
}

/// Margins of the text column, shared by all pages of the document.
struct Column {
    left: f32,
    right: f32,
    body: f32,
    /// Paragraphs open with an indented line, so a flush line never starts one.
    indents_paragraphs: bool,
}

impl Column {
    /// Left margin: the leftmost start that a fair share of the lines use
    /// (not the most common one: short paragraphs mean more indented first
    /// lines than flush ones). Right margin: where most full lines end.
    fn measure(pages: &[PageLines]) -> Column {
        let body = body_size(pages);
        let lines = || pages.iter().flat_map(|p| &p.lines);
        let bucket = 0.25 * body;
        let mut starts: Vec<(i64, usize)> = Vec::new();
        for l in lines() {
            let key = (l.x0 / bucket).round() as i64;
            match starts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => starts.push((key, 1)),
            }
        }
        let total: usize = starts.iter().map(|(_, n)| n).sum();
        let enough = (total / 10).max(2);
        let left = starts
            .iter()
            .filter(|(_, n)| *n >= enough)
            .min_by_key(|(k, _)| *k)
            .or_else(|| starts.iter().max_by_key(|(k, n)| (*n, -*k)))
            .map_or(0.0, |(k, _)| *k as f32 * bucket);
        let mut ends: Vec<f32> = lines().map(|l| l.x1).collect();
        ends.sort_by(f32::total_cmp);
        let right = ends.get(ends.len() * 4 / 5).copied().unwrap_or(left);
        let mut col = Column {
            left,
            right,
            body,
            indents_paragraphs: false,
        };
        let indents = lines()
            .filter(|l| col.indented(l) && l.x0 < col.left + 3.0 * l.size)
            .count();
        col.indents_paragraphs = indents >= 3 && indents * 10 >= total;
        col
    }

    /// Chinese paragraphs indent their first line by two characters.
    fn indented(&self, line: &Line) -> bool {
        line.x0 > self.left + 1.2 * line.size
    }

    fn centered(&self, line: &Line) -> bool {
        let middle = (line.x0 + line.x1) / 2.0;
        self.indented(line) && (middle - (self.left + self.right) / 2.0).abs() < 1.5 * line.size
    }

    /// The line stops well before the right margin.
    fn short(&self, line: &Line) -> bool {
        self.right - line.x1 > 2.5 * line.size
    }
}

fn similar(a: f32, b: f32) -> bool {
    (a - b).abs() <= 0.1 * a.max(b)
}

/// Whether `next` continues the paragraph that `prev` ended a line of.
fn continues(prev: &Line, next: &Line, same_page: bool, col: &Column) -> bool {
    if starts_clause(&next.text) || !similar(prev.size, next.size) {
        return false;
    }
    let gap = next.y - prev.y;
    if same_page && (gap <= 0.0 || gap > 2.5 * prev.size.max(next.size)) {
        return false;
    }
    if ends_sentence(&prev.text) {
        // A sentence that happens to end at the margin, followed by a flush
        // line, runs on where paragraphs are otherwise indented.
        return col.indents_paragraphs
            && !prev.text.ends_with(['：', ':'])
            && !col.short(prev)
            && !col.indented(next);
    }
    // Titles wrap without punctuation and are centred line by line.
    let title = prev.size >= 1.15 * col.body;
    if same_page && (title || (col.centered(prev) && col.centered(next))) {
        return true;
    }
    !col.indented(next) && !col.short(prev)
}

/// Appends a wrapped line: nothing between CJK characters, a space between
/// two Latin words.
fn join(text: &mut String, next: &str) {
    let last = text.chars().next_back();
    let first = next.chars().next();
    let narrow = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_wide(c));
    if narrow(last) && narrow(first) {
        text.push(' ');
    }
    text.push_str(next);
}

pub fn paragraphs(pages: &[PageLines]) -> Vec<Paragraph> {
    let col = Column::measure(pages);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut prev: Option<&Line> = None;
    for page in pages {
        for (i, line) in page.lines.iter().enumerate() {
            let joined = prev.is_some_and(|p| continues(p, line, i > 0, &col));
            match out.last_mut() {
                Some(para) if joined => join(&mut para.text, &line.text),
                _ => out.push(Paragraph {
                    text: line.text.clone(),
                    page: page.page,
                    heading: line.size >= 1.2 * col.body,
                }),
            }
            prev = Some(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::geometry::A4;
    use super::*;

    #[test]
    fn clause_labels() {
        for s in [
            "第一条 为了",
            "第十二章 附则",
            "第3条",
            "一、总体要求",
            "（一）加强",
            "(2) 条件",
            "1. 自查",
            "2、复核",
            "（3）公开",
            "附件：细则",
            "附件",
            "①本地",
        ] {
            assert!(starts_clause(s), "{s}");
        }
        for s in ["的规定。", "1.5倍", "2024年起", "第一批企业", "一般不少于"] {
            assert!(!starts_clause(s), "{s}");
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("制定本细则。"));
        assert!(ends_sentence("通知如下："));
        assert!(ends_sentence("（见附件）。”"));
        assert!(!ends_sentence("市场监督管理"));
        assert!(!ends_sentence("《公平竞争审查条例》"));
    }

    fn line(text: &str, x0: f32, y: f32) -> Line {
        Line {
            text: text.into(),
            x0,
            x1: x0 + 5.0 * text.chars().count() as f32,
            y,
            size: 5.0,
        }
    }

    fn page(n: u32, lines: Vec<Line>) -> PageLines {
        PageLines {
            page: n,
            lines,
            area: A4,
        }
    }

    #[test]
    fn wraps_join_clauses_and_indents_split() {
        let pages = vec![
            page(
                1,
                vec![
                    line("第一条为了维护市场秩序根据有关法律", 40.0, 50.0),
                    line("法规制定本办法。", 30.0, 60.0),
                    line("第二条本办法适用于本市行政区域内的", 40.0, 70.0),
                    line("行政机关和法律法规授权的具有管理公", 30.0, 80.0),
                ],
            ),
            page(
                2,
                vec![
                    line("共事务职能的组织", 30.0, 50.0),
                    line("起草单位应当在提请审议前完成审查并", 40.0, 60.0),
                    line("形成书面结论。", 30.0, 70.0),
                    line("1. 起草单位自查", 40.0, 80.0),
                    line("fair", 30.0, 90.0),
                ],
            ),
        ];
        let got: Vec<(String, u32)> = paragraphs(&pages)
            .into_iter()
            .map(|p| (p.text, p.page))
            .collect();
        let want = [
            ("第一条为了维护市场秩序根据有关法律法规制定本办法。", 1),
            (
                "第二条本办法适用于本市行政区域内的行政机关和法律法规授权的具有管理公共事务职能的组织",
                1,
            ),
            ("起草单位应当在提请审议前完成审查并形成书面结论。", 2),
            ("1. 起草单位自查", 2),
            ("fair", 2),
        ];
        let want: Vec<(String, u32)> = want.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_sentence_ending_at_the_margin_runs_on_only_where_paragraphs_indent() {
        let texts = |indent: f32| -> Vec<String> {
            let at = |text: &str, x0: f32, x1: f32, y: f32| Line {
                x1,
                ..line(text, x0, y)
            };
            let lines = vec![
                at(
                    "第一条本办法适用于本市各级行政机关",
                    30.0 + indent,
                    140.0,
                    50.0,
                ),
                at("和有关组织。", 30.0, 60.0, 60.0),
                at(
                    "起草单位应当开展审查工作，审查结论存档。",
                    30.0 + indent,
                    140.0,
                    70.0,
                ),
                at("未经审查的不得出台，已经出台的应当补", 30.0, 140.0, 80.0),
                at("充审查。", 30.0, 50.0, 90.0),
                at(
                    "第二条本办法自印发之日起施行。",
                    30.0 + indent,
                    115.0,
                    100.0,
                ),
            ];
            paragraphs(&[page(1, lines)])
                .into_iter()
                .map(|p| p.text)
                .collect()
        };
        assert_eq!(
            texts(10.0)[1],
            "起草单位应当开展审查工作，审查结论存档。未经审查的不得出台，已经出台的应当补充审查。"
        );
        assert_eq!(texts(0.0).len(), 4);
    }

    #[test]
    fn large_title_lines_join_and_stay_headings() {
        let mut a = line("某市关于进一步规范招商引资", 35.0, 50.0);
        let mut b = line("行为的通知", 60.0, 62.0);
        a.size = 7.7;
        b.size = 7.7;
        let body = line("各区人民政府：", 30.0, 80.0);
        let more = line("为了维护市场秩序，现通知如下。", 40.0, 90.0);
        let paras = paragraphs(&[page(1, vec![a, b, body, more])]);
        assert_eq!(paras[0].text, "某市关于进一步规范招商引资行为的通知");
        assert!(paras[0].heading && !paras[1].heading);
        assert_eq!(paras.len(), 3);
    }

    #[test]
    fn latin_words_keep_their_space() {
        let mut s = String::from("fair");
        join(&mut s, "competition");
        assert_eq!(s, "fair competition");
        let mut s = String::from("公平");
        join(&mut s, "竞争");
        assert_eq!(s, "公平竞争");
    }
}
