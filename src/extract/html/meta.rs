//! Metadata portals put in `<meta>` tags and `<title>`.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node};

use super::dom::{is_cjk, tag};
use crate::extract::MetaHints;

const DATE_NAMES: &[&str] = &[
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "dc.date",
    "dc.date.issued",
    "article:published_time",
];

/// Separators between an article title and the site name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &["_", " - ", " – ", "－", "——", "—", "|", "｜", " :: "];

pub fn hints(doc: &Html) -> MetaHints {
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut title_tag: Option<String> = None;
    for el in doc.tree.nodes().filter_map(ElementRef::wrap) {
        match tag(el) {
            "meta" => {
                let e = el.value();
                let name = e.attr("name").or_else(|| e.attr("property"));
                if let (Some(name), Some(content)) = (name, e.attr("content")) {
                    let content = collapse(content);
                    if !content.is_empty() {
                        metas.push((name.trim().to_ascii_lowercase(), content));
                    }
                }
            }
            "title" if title_tag.is_none() => {
                let text: String = el
                    .children()
                    .filter_map(|n| match n.value() {
                        Node::Text(t) => Some(&**t),
                        _ => None,
                    })
                    .collect();
                title_tag = Some(collapse(&text)).filter(|t| !t.is_empty());
            }
            _ => {}
        }
    }
    let meta = |names: &[&str]| {
        names.iter().find_map(|want| {
            metas
                .iter()
                .find(|(name, _)| name == want)
                .map(|(_, v)| v.clone())
        })
    };
    let title = meta(&["articletitle"])
        .or_else(|| meta(&["og:title"]))
        .or_else(|| title_tag.as_deref().map(strip_site_suffix));
    let date = DATE_NAMES
        .iter()
        .filter_map(|n| meta(&[*n]))
        .find_map(|v| normalise_date(&v));
    let issuer =
        meta(&["contentsource"]).or_else(|| meta(&["author"]).filter(|a| a.chars().any(is_cjk)));
    MetaHints {
        title,
        date,
        issuer,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "关于…的通知_青禾市人民政府门户网站" → "关于…的通知". Trailing parts are
/// dropped only while they look like a site or department name.
pub fn strip_site_suffix(title: &str) -> String {
    let mut rest = title.trim();
    loop {
        let cut = TITLE_SEPARATORS
            .iter()
            .filter_map(|sep| rest.rfind(sep).map(|i| (i, sep.len())))
            .max_by_key(|(i, _)| *i);
        let Some((at, len)) = cut else { break };
        let (head, tail) = (
            rest.get(..at).unwrap_or_default(),
            rest.get(at + len..).unwrap_or_default(),
        );
        if head.trim().is_empty() || !looks_like_site_name(tail.trim()) {
            break;
        }
        rest = head.trim_end_matches(|c: char| c.is_whitespace() || c == '—');
    }
    rest.to_string()
}

fn looks_like_site_name(part: &str) -> bool {
    const MARKS: &[&str] = &["网", "政府", "门户", "官方", "平台", "人民政府"];
    const ENDINGS: &[&str] = &[
        "局",
        "厅",
        "委",
        "办",
        "委员会",
        "办公室",
        "中心",
        "部",
        "院",
        "政府",
        "政务公开",
    ];
    part.is_empty()
        || part.is_ascii()
        || MARKS.iter().any(|m| part.contains(m))
        || (part.chars().count() <= 30 && ENDINGS.iter().any(|e| part.ends_with(e)))
}

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
        .expect("static pattern compiles")
});
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{4})(\d{2})(\d{2})").expect("static pattern compiles"));

/// "2024年3月5日", "2024/3/5 10:20", "20240305", "2024-03-05T10:20:00+08:00" → "2024-03-05".
pub fn normalise_date(value: &str) -> Option<String> {
    let caps = YMD.captures(value).or_else(|| COMPACT.captures(value))?;
    let num = |i: usize| caps.get(i)?.as_str().parse::<u32>().ok();
    let (y, m, d) = (num(1)?, num(2)?, num(3)?);
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_normalised() {
        assert_eq!(
            normalise_date("2024-03-05 10:20:00").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            normalise_date("2024年3月5日").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(normalise_date("2024/3/5").as_deref(), Some("2024-03-05"));
        assert_eq!(normalise_date("20240305").as_deref(), Some("2024-03-05"));
        assert_eq!(normalise_date("2024-13-05"), None);
        assert_eq!(normalise_date("明天"), None);
    }

    #[test]
    fn site_suffixes_are_removed_from_titles() {
        assert_eq!(
            strip_site_suffix("关于印发《若干措施》的通知_青禾市人民政府门户网站"),
            "关于印发《若干措施》的通知"
        );
        assert_eq!(
            strip_site_suffix("关于开展检查的通知 - 市市场监管局 - 青禾市人民政府"),
            "关于开展检查的通知"
        );
        assert_eq!(
            strip_site_suffix("2024-2025年工作要点"),
            "2024-2025年工作要点"
        );
    }

    #[test]
    fn hints_prefer_article_meta_over_title_tag() {
        let doc = Html::parse_document(
            r#"<html><head><title>页面标题_青禾市人民政府</title>
            <meta name="ArticleTitle" content=" 关于促进民营经济发展的若干措施 ">
            <meta name="PubDate" content="2024-03-05 09:30">
            <meta name="ContentSource" content="青禾市发展和改革委员会">
            </head><body></body></html>"#,
        );
        let h = hints(&doc);
        assert_eq!(h.title.as_deref(), Some("关于促进民营经济发展的若干措施"));
        assert_eq!(h.date.as_deref(), Some("2024-03-05"));
        assert_eq!(h.issuer.as_deref(), Some("青禾市发展和改革委员会"));

        let doc = Html::parse_document(
            r#"<html><head><title>关于做好节能工作的通知_青禾市人民政府门户网站</title>
            <meta name="author" content="admin"><meta name="dc.date" content="2023年12月1日">
            </head><body></body></html>"#,
        );
        let h = hints(&doc);
        assert_eq!(h.title.as_deref(), Some("关于做好节能工作的通知"));
        assert_eq!(h.date.as_deref(), Some("2023-12-01"));
        assert_eq!(h.issuer, None);
    }
}
