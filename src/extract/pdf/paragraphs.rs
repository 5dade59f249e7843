//! Lines → paragraphs. A wrapped line joins the next one unless the line
//! ends a sentence, the next line starts a new clause or is indented, the
//! line stops well short of the margin, or a gap or a size change separates
//! them. Page breaks, and moves from one column to the next, are treated
//! like line wraps. Table cells stay blocks of their own.

use std::sync::LazyLock;

use regex::Regex;

use super::chars::{is_ambiguous, is_wide};
use super::lines::{Line, PageLines, body_size};
use crate::extract::CellPos;

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// Page where the paragraph starts.
    pub page: u32,
    pub heading: bool,
    /// A table cell.
    pub cell: bool,
    /// A cell's position; tables are numbered across the document.
    pub pos: Option<CellPos>,
}

/// Clause labels that open a new paragraph when they start a line.
static CLAUSE_START: LazyLock<Regex> = LazyLock::new(|| {
    let cn = "[一二三四五六七八九十百千零〇两]";
    let pattern = format!(
        r"^(?:第(?:{cn}+|[0-9０-９]+)[章节条款编部分篇]|{cn}+[、.．]|[（(]{cn}+[）)]|[（(][0-9０-９]{{1,3}}[）)]|[0-9０-９]{{1,3}}[）)]|[0-9０-９]{{1,3}}(?:[、]|[.．](?:[^0-9０-９]|$))|附件|附：|[①-⑳⑴-⒇])"
    );
    Regex::new(&pattern).expect("clause pattern is valid")
});

pub fn starts_clause(text: &str) -> bool {
    CLAUSE_START.is_match(text.trim_start())
}

/// Whether a line ends a sentence (ignoring closing quotes and brackets).
pub fn ends_sentence(text: &str) -> bool {
    let last = text
        .trim_end()
        .trim_end_matches(['”', '’', '」', '』', '）', ')', '】', '》', '"', '\''])
        .chars()
        .next_back();
    matches!(
        last,
        Some('。' | '！' | '？' | '；' | '：' | '…' | '!' | '?' | ';' | ':' | '.')
    )
}

/// Margins and spacing measured on one page.
#[derive(Clone, Copy)]
struct Metrics {
    left: f32,
    right: f32,
    /// Usual distance between baselines, if the page has enough lines.
    pitch: Option<f32>,
}

/// Pages with fewer lines borrow the document's margins.
const MIN_LINES_FOR_OWN_MARGINS: usize = 5;

/// Left edge of the text: the leftmost 2-point bucket of line starts that
/// holds a fair share of the lines. Not the most common one: a page of short
/// paragraphs has more indented first lines than flush continuation lines.
fn left_margin<'a>(lines: impl Iterator<Item = &'a Line>) -> Option<f32> {
    let mut buckets: Vec<(i32, usize)> = Vec::new();
    let mut total = 0usize;
    for l in lines {
        total += 1;
        let key = (l.x0 / 2.0).round() as i32;
        match buckets.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => buckets.push((key, 1)),
        }
    }
    let enough = (total / 10).max(2);
    buckets
        .iter()
        .filter(|(_, n)| *n >= enough)
        .min_by_key(|(k, _)| *k)
        .or_else(|| buckets.iter().max_by_key(|(k, n)| (*n, -*k)))
        .map(|(k, _)| *k as f32 * 2.0 - 1.0)
}

/// Right edge reached by most full lines.
fn usual_right<'a>(lines: impl Iterator<Item = &'a Line>) -> Option<f32> {
    let mut rights: Vec<f32> = lines.map(|l| l.x1).collect();
    rights.sort_by(f32::total_cmp);
    rights.get(rights.len() * 4 / 5).copied()
}

/// Metrics of the lines of one region of a page (columns have their own
/// margins).
fn metrics(lines: &[&Line], doc: &Metrics) -> Metrics {
    let own = lines.len() >= MIN_LINES_FOR_OWN_MARGINS;
    let each = || lines.iter().copied();
    let left = if own { left_margin(each()) } else { None }.unwrap_or(doc.left);
    let right = if own { usual_right(each()) } else { None }.unwrap_or(doc.right);
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .filter_map(|w| {
            let gap = w[0].y - w[1].y;
            (gap > 0.0 && gap < 3.0 * w[0].size.max(w[1].size)).then_some(gap)
        })
        .collect();
    gaps.sort_by(f32::total_cmp);
    let pitch = gaps
        .get(gaps.len() / 2)
        .copied()
        .filter(|_| gaps.len() >= 2)
        .or(doc.pitch);
    Metrics { left, right, pitch }
}

fn doc_metrics(pages: &[PageLines]) -> Metrics {
    let all = || pages.iter().flat_map(|p| &p.lines).filter(|l| !l.cell);
    let first = pages.first();
    Metrics {
        left: left_margin(all()).or(first.map(|p| p.left)).unwrap_or(0.0),
        right: usual_right(all()).or(first.map(|p| p.right)).unwrap_or(0.0),
        pitch: None,
    }
}

fn similar(a: f32, b: f32) -> bool {
    (a - b).abs() <= 0.1 * a.max(b)
}

/// Clear space on both sides and the middle on the page's middle.
fn centered(line: &Line, m: &Metrics) -> bool {
    let mid = (line.x0 + line.x1) / 2.0;
    line.x0 > m.left + 2.0 * line.size
        && line.x1 < m.right - 2.0 * line.size
        && (mid - (m.left + m.right) / 2.0).abs() < 1.5 * line.size
}

/// A first-line indent: Chinese paragraphs indent two characters; a whole
/// block set in by one character (a colophon box) is not an indent.
fn indented(line: &Line, m: &Metrics) -> bool {
    line.x0 > m.left + 1.5 * line.size
}

/// What the join decision knows besides the two lines.
struct Between {
    /// Both lines are on one page and in one column; otherwise a page or
    /// column break lies between them.
    same_flow: bool,
    body: f32,
    /// The paragraph so far has an unclosed bracket or quote.
    open_bracket: bool,
}

/// Whether `next` continues the paragraph that `prev` belongs to.
fn continues(prev: &Line, pm: &Metrics, next: &Line, nm: &Metrics, ctx: &Between) -> bool {
    if ends_sentence(&prev.text) || starts_clause(&next.text) {
        return false;
    }
    let size = prev.size.max(next.size);
    if !similar(prev.size, next.size) {
        return false;
    }
    let gap = prev.y - next.y;
    let usual = pm.pitch.unwrap_or(1.5 * size);
    if ctx.same_flow && (gap <= 0.0 || gap > 1.6 * usual.max(size)) {
        return false;
    }
    // Multi-line titles: larger type, or centred lines, wrap without punctuation.
    let title_size = prev.size >= 1.15 * ctx.body;
    if ctx.same_flow && (title_size || (centered(prev, pm) && centered(next, nm))) {
        return true;
    }
    if indented(next, nm) {
        return false;
    }
    // A line that stops short ends its paragraph, unless a bracket is still
    // open or the next line starts with a word or number too long to have
    // fitted (a URL, a credit code).
    let room = pm.right - prev.x1;
    ctx.open_bracket || room <= 2.5 * size || leading_word_width(next) >= room - size
}

/// Rough width of the Latin word or number a line starts with: such runs
/// cannot be broken, so they move to the next line whole.
fn leading_word_width(line: &Line) -> f32 {
    let narrow = line
        .text
        .chars()
        .take_while(|&c| !is_wide(c) && !is_ambiguous(c) && !c.is_whitespace())
        .count();
    narrow as f32 * 0.5 * line.size
}

/// Opening minus closing brackets and quotes.
fn bracket_balance(text: &str) -> i32 {
    text.chars()
        .map(|c| match c {
            '（' | '(' | '《' | '“' | '【' | '〔' | '「' => 1,
            '）' | ')' | '》' | '”' | '】' | '〕' | '」' => -1,
            _ => 0,
        })
        .sum()
}

/// Joins `next` onto `text`: nothing inside CJK text, a space between
/// words, and a hyphen that split a lowercase word is removed.
pub(super) fn join(text: &mut String, next: &str) {
    let mut tail = text.chars().rev();
    let (last, before) = (tail.next(), tail.next());
    let first = next.chars().next();
    let narrow = |c: Option<char>| c.is_some_and(|c| !is_wide(c) && !is_ambiguous(c));
    if last == Some('-')
        && before.is_some_and(|c| c.is_ascii_lowercase())
        && first.is_some_and(|c| c.is_ascii_lowercase())
    {
        text.pop();
    } else if narrow(last) && narrow(first) && last != Some('-') && last != Some('/') {
        text.push(' ');
    }
    text.push_str(next);
}

/// Metrics of one region of a page, measured once.
fn region_metrics(
    known: &mut Vec<(u32, Metrics)>,
    page: &PageLines,
    region: u32,
    doc: &Metrics,
) -> Metrics {
    if let Some((_, m)) = known.iter().find(|(r, _)| *r == region) {
        return *m;
    }
    let lines: Vec<&Line> = page.lines.iter().filter(|l| l.region == region).collect();
    let m = metrics(&lines, doc);
    known.push((region, m));
    m
}

pub fn paragraphs(pages: &[PageLines]) -> Vec<Paragraph> {
    let body = body_size(pages);
    let doc = doc_metrics(pages);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut prev: Option<(&Line, Metrics)> = None;
    let mut balance = 0;
    let mut tables = 0u32;
    for page in pages {
        let mut regions: Vec<(u32, Metrics)> = Vec::new();
        // Page's own table numbers → the document's, in order of first cell.
        let mut numbers: Vec<(u32, u32)> = Vec::new();
        for (i, line) in page.lines.iter().enumerate() {
            if line.cell {
                let pos = line.pos.map(|p| {
                    let table = match numbers.iter().find(|(own, _)| *own == p.table) {
                        Some(&(_, n)) => n,
                        None => {
                            numbers.push((p.table, tables));
                            tables += 1;
                            tables - 1
                        }
                    };
                    CellPos { table, ..p }
                });
                out.push(Paragraph {
                    text: line.text.clone(),
                    page: page.page,
                    heading: false,
                    cell: true,
                    pos,
                });
                prev = None;
                continue;
            }
            let m = region_metrics(&mut regions, page, line.region, &doc);
            let same_region = i > 0 && prev.is_some_and(|(p, _)| p.region == line.region);
            let ctx = Between {
                same_flow: same_region,
                body,
                open_bracket: balance > 0,
            };
            let joined = prev.is_some_and(|(p, pm)| continues(p, &pm, line, &m, &ctx));
            match out.last_mut() {
                Some(para) if joined => {
                    join(&mut para.text, &line.text);
                    balance += bracket_balance(&line.text);
                }
                _ => {
                    balance = bracket_balance(&line.text);
                    out.push(Paragraph {
                        text: line.text.clone(),
                        page: page.page,
                        heading: line.size >= 1.2 * body,
                        cell: false,
                        pos: None,
                    });
                }
            }
            prev = Some((line, m));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell position as (table, row, col).
    type Pos = Option<(u32, u32, u32)>;

    #[test]
    fn clause_starts() {
        for s in [
            "第一条 为了",
            "第十二章 附则",
            "一、总体要求",
            "（一）加强",
            "(2) 条件",
            "1. 自查",
            "2、复核",
            "（3）公开",
            "附件：统计表",
            "①本地",
        ] {
            assert!(starts_clause(s), "{s}");
        }
        for s in [
            "的规定。",
            "1.5倍以上",
            "2025年起",
            "第一批企业名单",
            "一般不少于",
        ] {
            assert!(!starts_clause(s), "{s}");
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("制定本措施。"));
        assert!(ends_sentence("通知如下："));
        assert!(ends_sentence("（见附件）。”"));
        assert!(!ends_sentence("市场监督管理"));
        assert!(!ends_sentence("《公平竞争审查条例》"));
    }

    fn line(text: &str, x0: f32, y: f32) -> Line {
        let width = text.chars().count() as f32 * 10.0;
        Line {
            text: text.into(),
            x0,
            x1: x0 + width,
            y,
            size: 10.0,
            ..Line::default()
        }
    }

    fn page(n: u32, lines: Vec<Line>) -> PageLines {
        PageLines {
            page: n,
            lines,
            left: 0.0,
            right: 600.0,
            bottom: 0.0,
            top: 800.0,
        }
    }

    #[test]
    fn wrapped_lines_join_and_clauses_split() {
        let pages = vec![
            page(
                1,
                vec![
                    line("第一条为了维护市场秩序根据有关", 100.0, 700.0),
                    line("法律法规制定本办法。", 100.0, 685.0),
                    line("第二条本办法适用于本市行政区域", 100.0, 670.0),
                    line("内的行政机关和法律法规授权的具", 100.0, 655.0),
                ],
            ),
            page(
                2,
                vec![
                    line("有管理公共事务职能的组织。", 100.0, 700.0),
                    line("起草单位应当在提请审议前完成", 120.0, 685.0),
                    line("审查并形成书面结论。", 100.0, 670.0),
                ],
            ),
        ];
        let paras = paragraphs(&pages);
        let texts: Vec<(&str, u32)> = paras.iter().map(|p| (p.text.as_str(), p.page)).collect();
        assert_eq!(
            texts,
            [
                ("第一条为了维护市场秩序根据有关法律法规制定本办法。", 1),
                (
                    "第二条本办法适用于本市行政区域内的行政机关和法律法规授权的具有管理公共事务职能的组织。",
                    1
                ),
                ("起草单位应当在提请审议前完成审查并形成书面结论。", 2),
            ]
        );
    }

    #[test]
    fn short_line_before_an_unbreakable_number_still_joins() {
        let at = |text: &str, x0: f32, x1: f32, y: f32| Line {
            x1,
            ..line(text, x0, y)
        };
        let pages = vec![page(
            1,
            vec![
                at("第一条申请人应当提交营业执照复印件其", 100.0, 280.0, 715.0),
                at("统一社会信用代码为", 100.0, 190.0, 700.0),
                at("91310000MA1FL4KX3T的企业名单", 100.0, 280.0, 685.0),
                at("短标题", 200.0, 230.0, 670.0),
                at("其他内容", 100.0, 140.0, 655.0),
            ],
        )];
        let texts: Vec<String> = paragraphs(&pages).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            [
                "第一条申请人应当提交营业执照复印件其统一社会信用代码为91310000MA1FL4KX3T的企业名单",
                "短标题",
                "其他内容"
            ]
        );
    }

    #[test]
    fn tables_are_numbered_across_pages_in_reading_order() {
        let cell = |text: &str, table, row, col| Line {
            cell: true,
            pos: Some(CellPos { table, row, col }),
            ..line(text, 100.0, 700.0)
        };
        let pages = vec![
            page(1, vec![line("正文", 100.0, 720.0), cell("甲", 0, 0, 0)]),
            page(
                2,
                vec![
                    cell("乙", 0, 0, 0),
                    cell("丙", 0, 1, 2),
                    line("说明。", 100.0, 600.0),
                    cell("丁", 1, 0, 0),
                ],
            ),
        ];
        let got: Vec<(String, Pos)> = paragraphs(&pages)
            .into_iter()
            .map(|p| (p.text, p.pos.map(|c| (c.table, c.row, c.col))))
            .collect();
        let want: Vec<(String, Pos)> = [
            ("正文", None),
            ("甲", Some((0, 0, 0))),
            ("乙", Some((1, 0, 0))),
            ("丙", Some((1, 1, 2))),
            ("说明。", None),
            ("丁", Some((2, 0, 0))),
        ]
        .iter()
        .map(|(t, c)| (t.to_string(), *c))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn joins_depend_on_script() {
        let joined = |a: &str, b: &str| {
            let mut s = a.to_string();
            join(&mut s, b);
            s
        };
        assert_eq!(joined("fair", "competition"), "fair competition");
        assert_eq!(joined("公平", "竞争"), "公平竞争");
        assert_eq!(joined("2025", "年"), "2025年");
        assert_eq!(joined("《条例》”", "“公平"), "《条例》”“公平");
        assert_eq!(joined("manip-", "ulation"), "manipulation");
        assert_eq!(joined("GB/", "T 1234"), "GB/T 1234");
    }
}
