//! Page furniture: running headers, footers and page numbers. They are
//! dropped so they never end up inside a sentence that crosses a page.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::lines::{PageLines, body_size};

/// Share of the page height, at the top and at the bottom, where furniture lives.
const BAND: f32 = 0.15;
/// Lines at each end of a page considered as furniture at most.
const EDGE_LINES: usize = 3;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    let deco = r"[-—–－~～·•\[\]()（）【】<>〈〉|]*";
    let n = r"[0-9一二三四五六七八九十百零〇]+";
    let pattern = format!(
        r"^{deco}(?:[0-9]{{1,4}}|第{n}页(?:[,，/／]?共{n}页)?|共{n}页[,，/／]?第{n}页|[0-9]{{1,4}}[/／][0-9]{{1,4}}|(?i:page){n}(?:(?i:of)[0-9]+)?){deco}$"
    );
    Regex::new(&pattern).expect("page-number pattern is valid")
});

/// Whether a line is only a page number: "— 3 —", "-3-", "3", "第3页 共10页" …
pub fn is_page_number(text: &str) -> bool {
    let compact = normalize(text, false);
    !compact.is_empty() && PAGE_NUMBER.is_match(&compact)
}

/// Removes whitespace and folds full-width digits; with `digits_as_zero`
/// every digit becomes `0`, so "第3页" and "第4页" compare equal.
fn normalize(text: &str, digits_as_zero: bool) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            let c = match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            };
            if digits_as_zero && c.is_ascii_digit() {
                '0'
            } else {
                c
            }
        })
        .collect()
}

/// Indices of the lines of a page that sit in the top or bottom band.
/// Lines are ranked by height on the page, not by reading order: on a page
/// in columns the last line read is not the lowest. Table cells are content.
fn edge_lines(page: &PageLines) -> Vec<usize> {
    let height = (page.top - page.bottom).max(1.0);
    let mut by_height: Vec<usize> = (0..page.lines.len()).collect();
    by_height.sort_by(|&a, &b| {
        let y = |i: usize| page.lines.get(i).map_or(0.0, |l| l.y);
        y(b).total_cmp(&y(a))
    });
    let n = by_height.len();
    let mut out = Vec::new();
    for (rank, &i) in by_height.iter().enumerate() {
        let Some(line) = page.lines.get(i).filter(|l| !l.cell) else {
            continue;
        };
        let near_top = rank < EDGE_LINES && line.y >= page.top - BAND * height;
        let near_bottom = rank + EDGE_LINES >= n && line.y <= page.bottom + BAND * height;
        if near_top || near_bottom {
            out.push(i);
        }
    }
    out.sort_unstable();
    out
}

/// Drops page numbers and lines repeated at the page edges on most pages.
/// Repeated lines set larger than the body text are kept: a title that a
/// running header repeats must survive on its own page.
pub fn strip(pages: &mut [PageLines]) {
    let body = body_size(pages);
    let candidates: Vec<Vec<usize>> = pages.iter().map(edge_lines).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (page, idx) in pages.iter().zip(&candidates) {
        let mut keys: Vec<String> = idx
            .iter()
            .filter_map(|&i| page.lines.get(i))
            .map(|l| normalize(&l.text, true))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    for (page, idx) in pages.iter_mut().zip(&candidates) {
        let drop: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| {
                page.lines.get(i).is_some_and(|l| {
                    is_page_number(&l.text)
                        || (l.size <= 1.05 * body
                            && seen
                                .get(&normalize(&l.text, true))
                                .is_some_and(|&c| c >= needed))
                })
            })
            .collect();
        let mut i = 0;
        page.lines.retain(|_| {
            let keep = !drop.contains(&i);
            i += 1;
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines::Line;
    use super::*;

    #[test]
    fn page_number_shapes() {
        for s in [
            "— 3 —",
            "-3-",
            "3",
            "- 12 -",
            "第3页 共10页",
            "第 3 页",
            "共 5 页 第 2 页",
            "3/10",
            "Page 4 of 9",
            "－３－",
            "第三页",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in [
            "第三条",
            "3.",
            "2025年",
            "一、总则",
            "第3页的表格如下",
            "附件3",
        ] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    fn line(text: &str, y: f32) -> Line {
        Line {
            text: text.into(),
            x0: 100.0,
            x1: 400.0,
            y,
            size: 12.0,
            ..Line::default()
        }
    }

    fn page(n: u32, lines: Vec<Line>) -> PageLines {
        PageLines {
            page: n,
            lines,
            left: 0.0,
            right: 595.0,
            bottom: 0.0,
            top: 842.0,
        }
    }

    #[test]
    fn repeated_edges_and_numbers_go_body_stays() {
        let mut pages: Vec<PageLines> = (1..=3)
            .map(|n| {
                page(
                    n,
                    vec![
                        line("某市人民政府公报 2025年第3期", 800.0),
                        line("正文第一行", 700.0),
                        line("正文第二行", 400.0),
                        line(&format!("— {n} —"), 40.0),
                    ],
                )
            })
            .collect();
        strip(&mut pages);
        for p in &pages {
            let texts: Vec<&str> = p.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(texts, ["正文第一行", "正文第二行"]);
        }
    }

    #[test]
    fn a_large_title_repeated_by_the_running_header_stays() {
        let mut title = line("关于促进公平竞争的若干措施", 780.0);
        title.size = 22.0;
        let mut pages = vec![page(
            1,
            vec![title, line("正文", 600.0), line("正文", 500.0)],
        )];
        for n in 2..=3 {
            let body = vec![
                line("关于促进公平竞争的若干措施", 800.0),
                line("正文", 600.0),
            ];
            pages.push(page(n, body));
        }
        strip(&mut pages);
        assert_eq!(pages[0].lines[0].text, "关于促进公平竞争的若干措施");
        assert_eq!(pages[1].lines.len(), 1);
    }

    #[test]
    fn single_page_keeps_its_top_line() {
        let mut pages = vec![page(
            1,
            vec![line("关于印发若干措施的通知", 800.0), line("3", 30.0)],
        )];
        strip(&mut pages);
        assert_eq!(pages[0].lines.len(), 1);
    }
}
