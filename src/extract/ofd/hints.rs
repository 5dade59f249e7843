//! DocInfo → metadata hints. The document layer prefers what the text
//! says; these only fill gaps, so anything doubtful is left out.
//! `CreationDate` is when the file was made, not when the document was
//! issued, so it never becomes a date hint.

use super::super::MetaHints;
use super::package::DocInfo;
use super::page::is_wide;

/// CustomData names that producers of official documents use.
const TITLE_KEYS: &[&str] = &["标题", "文件标题", "题名", "title"];
const ISSUER_KEYS: &[&str] = &[
    "发文机关",
    "发文单位",
    "发文机关名称",
    "发布机关",
    "发布单位",
    "issuer",
];
const DATE_KEYS: &[&str] = &["成文日期", "发布日期", "印发日期", "发文日期"];

/// Endings of the names of government bodies.
const ORGAN_ENDINGS: &[&str] = &[
    "人民政府",
    "办公室",
    "办公厅",
    "委员会",
    "局",
    "厅",
    "委",
    "部",
    "署",
    "中心",
    "院",
    "管委会",
    "领导小组",
];

pub fn hints(info: &DocInfo) -> MetaHints {
    let custom = |keys: &[&str]| {
        info.custom
            .iter()
            .find(|(name, _)| keys.iter().any(|k| name.eq_ignore_ascii_case(k)))
            .map(|(_, value)| value.as_str())
    };
    MetaHints {
        title: info
            .title
            .as_deref()
            .and_then(plausible_title)
            .or_else(|| custom(TITLE_KEYS).and_then(plausible_title)),
        date: custom(DATE_KEYS).and_then(iso_date),
        issuer: custom(ISSUER_KEYS)
            .and_then(plausible_organ)
            .or_else(|| info.author.as_deref().and_then(plausible_organ)),
    }
}

/// A title, unless it is a file name, a producer's placeholder or noise.
fn plausible_title(raw: &str) -> Option<String> {
    let title = close_cjk_gaps(raw.trim());
    let lower = title.to_lowercase();
    const PLACEHOLDERS: &[&str] = &[
        "untitled",
        "无标题",
        "新建",
        "document",
        "microsoft word",
        "wps",
    ];
    const EXTENSIONS: &[&str] = &[
        ".ofd", ".pdf", ".doc", ".docx", ".wps", ".txt", ".xml", ".tmp", ".htm", ".html",
    ];
    let informative = title.chars().filter(|c| c.is_alphanumeric()).count() >= 4;
    let has_cjk = title.chars().any(is_wide);
    let file_like = EXTENSIONS.iter().any(|e| lower.ends_with(e))
        || title.contains(['/', '\\'])
        || (!has_cjk && !title.contains(' '));
    let placeholder = PLACEHOLDERS.iter().any(|p| lower.starts_with(p));
    (informative && !file_like && !placeholder && title.chars().count() <= 200).then_some(title)
}

/// The name of an issuing body: Chinese, short, with a body's ending.
fn plausible_organ(raw: &str) -> Option<String> {
    let name = close_cjk_gaps(raw.trim());
    let count = name.chars().count();
    let fits = (3..=40).contains(&count)
        && name.chars().all(is_wide)
        && ORGAN_ENDINGS.iter().any(|e| name.ends_with(e));
    fits.then_some(name)
}

/// Removes spaces between two CJK characters (left by folded line breaks).
fn close_cjk_gaps(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            if before.is_some_and(|&b| is_wide(b)) && after.is_some_and(|&a| is_wide(a)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// `2024-06-18`, `2024/6/18`, `2024.6.18`, `20240618` or `2024年6月18日`
/// (an optional time after it) → `2024-06-18`.
fn iso_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let digits: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = match digits.as_slice() {
        [y, m, d] => (*y, *m, *d),
        [ymd] if (19000101..=21001231).contains(ymd) => (ymd / 10000, ymd / 100 % 100, ymd % 100),
        _ => return None,
    };
    let valid = (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    valid.then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(title: &str, author: &str, custom: &[(&str, &str)]) -> DocInfo {
        DocInfo {
            title: Some(title.into()),
            author: Some(author.into()),
            creation_date: Some("2024-06-20".into()),
            custom: custom
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn doc_info_becomes_hints() {
        let h = hints(&info(
            "关于 印发若干措施的通知",
            "张三",
            &[
                ("成文日期", "2024年6月18日"),
                ("发文机关", "某市人民政府办公室"),
            ],
        ));
        assert_eq!(h.title.as_deref(), Some("关于印发若干措施的通知"));
        assert_eq!(h.date.as_deref(), Some("2024-06-18"));
        assert_eq!(h.issuer.as_deref(), Some("某市人民政府办公室"));

        let h = hints(&info(
            "未命名.ofd",
            "某市商务局",
            &[("标题", "某市商务局通知")],
        ));
        assert_eq!(h.title.as_deref(), Some("某市商务局通知"));
        assert_eq!(h.date, None, "CreationDate is not a publication date");
        assert_eq!(h.issuer.as_deref(), Some("某市商务局"));

        let h = hints(&info("Untitled", "admin", &[]));
        assert_eq!(h, MetaHints::default());
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2024/6/8").as_deref(), Some("2024-06-08"));
        assert_eq!(iso_date("20240618").as_deref(), Some("2024-06-18"));
        assert_eq!(
            iso_date("2024-06-18T09:30:00").as_deref(),
            Some("2024-06-18")
        );
        assert_eq!(iso_date("2024-13-01"), None);
        assert_eq!(iso_date("明天"), None);
        assert_eq!(iso_date("99999999999999999999"), None);
    }
}
