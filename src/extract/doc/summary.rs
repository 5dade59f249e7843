//! The title from the `\u{5}SummaryInformation` property set.

use super::bytes::{i32_at, u16_at, u32_at, utf16_units};

const PID_CODEPAGE: u32 = 1;
const PID_TITLE: u32 = 2;
const VT_I2: u32 = 2;
const VT_LPSTR: u32 = 0x1E;
const VT_LPWSTR: u32 = 0x1F;
const MAX_TITLE_CHARS: usize = 200;
/// Generous: a property set never has more than a few dozen properties.
const MAX_PROPERTIES: usize = 1024;

/// The document title, when the property set has a plausible one.
pub fn title(stream: &[u8]) -> Option<String> {
    if u16_at(stream, 0)? != 0xFFFE {
        return None;
    }
    // Header (28 bytes), then the first set's FMTID (16) and offset.
    let set = u32_at(stream, 44)? as usize;
    let count = (u32_at(stream, set + 4)? as usize).min(MAX_PROPERTIES);
    let mut codepage = None;
    let mut title_at = None;
    for i in 0..count {
        let entry = set + 8 + i * 8;
        let (Some(id), Some(offset)) = (u32_at(stream, entry), u32_at(stream, entry + 4)) else {
            break;
        };
        let at = set.checked_add(offset as usize)?;
        match id {
            PID_CODEPAGE if u32_at(stream, at) == Some(VT_I2) => {
                codepage = u16_at(stream, at + 4);
            }
            PID_TITLE => title_at = Some(at),
            _ => {}
        }
    }
    let at = title_at?;
    let raw = match u32_at(stream, at)? {
        VT_LPSTR => {
            let len = usize::try_from(i32_at(stream, at + 4)?).ok()?;
            let bytes = stream.get(at + 8..at + 8 + len)?;
            decode_ansi(bytes, codepage)
        }
        VT_LPWSTR => {
            let len = usize::try_from(i32_at(stream, at + 4)?).ok()?;
            super::bytes::utf16(utf16_units(stream, at + 8, len)?)
        }
        _ => return None,
    };
    plausible(&raw)
}

fn decode_ansi(bytes: &[u8], codepage: Option<u16>) -> String {
    if codepage == Some(1200) {
        let units = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        return super::bytes::utf16(units.take_while(|&u| u != 0));
    }
    let bytes = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
    let encoding = match codepage {
        Some(65001) => encoding_rs::UTF_8,
        Some(1252) => encoding_rs::WINDOWS_1252,
        Some(950) => encoding_rs::BIG5,
        Some(932) => encoding_rs::SHIFT_JIS,
        Some(949) => encoding_rs::EUC_KR,
        // 936, 54936 and anything unknown: Chinese files are the common case.
        _ => encoding_rs::GB18030,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// Titles are one line of readable text; editors' placeholders are not titles.
fn plausible(raw: &str) -> Option<String> {
    let title = raw
        .trim_end_matches('\0')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let n = title.chars().count();
    let readable = title.chars().all(|c| !c.is_control() && c != '\u{FFFD}');
    let placeholder = ["untitled", "无标题", "文档", "document", "microsoft word"]
        .iter()
        .any(|p| title.to_lowercase().starts_with(p) && n < p.chars().count() + 4);
    ((2..=MAX_TITLE_CHARS).contains(&n) && readable && !placeholder).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_must_look_like_titles() {
        assert_eq!(
            plausible("关于印发若干措施的通知\0").as_deref(),
            Some("关于印发若干措施的通知")
        );
        assert_eq!(plausible("  "), None);
        assert_eq!(plausible("文档1"), None);
        assert_eq!(plausible("Untitled"), None);
        assert_eq!(plausible("a\u{1}b"), None);
    }
}
