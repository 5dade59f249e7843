//! What one review comment says, whatever document it goes into.

use crate::document::numerals::to_chinese;
use crate::review::Finding;
use crate::rules::Standards;

pub const AUTHOR: &str = "fairscan";
pub const INITIALS: &str = "FS";

/// `《公平竞争审查条例》第十条第（二）项`.
pub fn regulation_item(article: u8, item: u8) -> String {
    format!(
        "《公平竞争审查条例》第{}条第（{}）项",
        to_chinese(article as u32),
        to_chinese(item as u32)
    )
}

/// The comment's paragraphs: headline, reason, suggestion, and a note on
/// where it is anchored when the sentence itself could not be marked.
pub fn paragraphs(f: &Finding, standards: &Standards, note: Option<&str>) -> Vec<String> {
    let title = standards
        .item(f.article, f.item)
        .map(|i| format!("（{}）", i.title))
        .unwrap_or_default();
    let clause = if f.clause.is_empty() {
        String::new()
    } else {
        format!("— {}", f.clause)
    };
    let mut out = vec![
        format!(
            "【{}】{}{title}{clause}",
            f.level.label(),
            regulation_item(f.article, f.item)
        ),
        format!("理由：{}", f.explanation),
        format!("建议：{}", f.suggestion),
    ];
    if !f.evidence.is_empty() {
        out.push(format!("依据词：{}", f.evidence.join("、")));
    }
    if let Some(note) = note {
        out.push(format!("注意：{note}原句：“{}”", f.text));
    }
    out
}

/// Drops characters XML 1.0 cannot carry (control characters other than tab
/// and line breaks), so a comment never makes a part unreadable.
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

/// The current UTC time as `2024-05-11T08:30:00Z`, the form Word stores.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_citations() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(
            regulation_item(10, 2),
            "《公平竞争审查条例》第十条第（二）项"
        );
        assert_eq!(xml_safe("a\u{1}b\nc"), "ab\nc");
        assert!(utc_now().ends_with('Z'));
    }
}
