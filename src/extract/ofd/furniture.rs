//! Page furniture: page numbers and the running lines a template or the
//! producer repeats at the top and bottom of every page. Dropped so they
//! never land inside a sentence that continues on the next page.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::layout::PageLines;
use super::paragraphs::body_size;

/// Share of the page height at the top and at the bottom where furniture lives.
const BAND: f32 = 0.12;
/// At most this many lines at each end of a page are furniture candidates.
const EDGE_LINES: usize = 3;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    let dash = r"[-—–－―~～·•<>〈〉《》\[\]【】()（）|]*";
    let num = r"[0-9一二三四五六七八九十百零〇]+";
    Regex::new(&format!(
        r"^{dash}(?:[0-9]{{1,4}}|第{num}页(?:[,，/／]?共{num}页)?|共{num}页[,，/／]?第{num}页|[0-9]{{1,4}}[/／][0-9]{{1,4}}|(?i:page){num}(?:(?i:of)[0-9]+)?){dash}$"
    ))
    .expect("page-number pattern is valid")
});

/// "— 3 —", "-3-", "3", "第3页 共10页", "3/10" …
pub fn is_page_number(text: &str) -> bool {
    let compact = fold(text, false);
    !compact.is_empty() && PAGE_NUMBER.is_match(&compact)
}

/// Drops whitespace and folds full-width digits; with `digits_as_zero` all
/// digits become `0` so "第3页" and "第4页" count as the same line.
fn fold(text: &str, digits_as_zero: bool) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            let c = match c {
                '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            };
            if digits_as_zero && c.is_ascii_digit() {
                '0'
            } else {
                c
            }
        })
        .collect()
}

/// Indices of the first and last few lines of a page that sit in its bands.
fn edge_lines(page: &PageLines) -> Vec<usize> {
    let top = page.area.y + BAND * page.area.h;
    let bottom = page.area.y + (1.0 - BAND) * page.area.h;
    let n = page.lines.len();
    (0..n)
        .filter(|&i| {
            page.lines.get(i).is_some_and(|l| {
                (i < EDGE_LINES && l.y <= top) || (i + EDGE_LINES >= n && l.y >= bottom)
            })
        })
        .collect()
}

/// Removes page numbers in the bands, and lines found in the bands of at
/// least half the pages (two at least). A repeated line set larger than the
/// body text stays: it is a title that a running header happens to repeat.
pub fn strip(pages: &mut [PageLines]) {
    let body = body_size(pages);
    let edges: Vec<Vec<usize>> = pages.iter().map(edge_lines).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (page, idx) in pages.iter().zip(&edges) {
        let mut keys: Vec<String> = idx
            .iter()
            .filter_map(|&i| page.lines.get(i))
            .map(|l| fold(&l.text, true))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    for (page, idx) in pages.iter_mut().zip(&edges) {
        let mut i = 0;
        page.lines.retain(|l| {
            let furniture = idx.contains(&i)
                && (is_page_number(&l.text)
                    || (l.size <= 1.05 * body
                        && seen.get(&fold(&l.text, true)).is_some_and(|&c| c >= needed)));
            i += 1;
            !furniture
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::geometry::A4;
    use super::super::layout::Line;
    use super::*;

    #[test]
    fn page_number_shapes() {
        for s in [
            "— 3 —",
            "-3-",
            "12",
            "第3页 共10页",
            "第 三 页",
            "共5页 第2页",
            "3/10",
            "Page 4 of 9",
            "－３－",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["第三条", "3.", "2024年", "一、", "附件3", "第3页的表格"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    fn line(text: &str, y: f32, size: f32) -> Line {
        Line {
            text: text.into(),
            x0: 30.0,
            x1: 180.0,
            y,
            size,
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
    fn numbers_and_running_lines_go_titles_and_body_stay() {
        let mut pages: Vec<PageLines> = (1..=3)
            .map(|n| {
                let mut lines = vec![line("某市人民政府行政规范性文件", 20.0, 3.5)];
                if n == 1 {
                    lines.push(line("关于某事项的通知", 30.0, 7.7));
                }
                lines.push(line("正文第一行", 100.0, 5.5));
                lines.push(line("正文第二行", 110.0, 5.5));
                lines.push(line("某市人民政府办公室印发", 268.0, 3.5));
                lines.push(line(&format!("— {n} —"), 278.0, 4.9));
                page(n, lines)
            })
            .collect();
        strip(&mut pages);
        let texts: Vec<Vec<&str>> = pages
            .iter()
            .map(|p| p.lines.iter().map(|l| l.text.as_str()).collect())
            .collect();
        assert_eq!(texts[0], ["关于某事项的通知", "正文第一行", "正文第二行"]);
        assert_eq!(texts[2], ["正文第一行", "正文第二行"]);
    }

    #[test]
    fn a_single_page_keeps_its_top_line() {
        let mut pages = vec![page(
            1,
            vec![line("关于某事项的通知", 20.0, 5.5), line("3", 280.0, 5.5)],
        )];
        strip(&mut pages);
        assert_eq!(pages[0].lines.len(), 1);
    }
}
