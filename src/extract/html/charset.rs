//! Bytes → text for saved web pages: BOM, then the page's own declaration,
//! checked against what the bytes actually are.
//!
//! Portals often declare one charset and serve another (templates say `utf-8`
//! while articles pasted from old systems are GBK, or the reverse). A wrong
//! guess garbles every character, so the bytes get the final word and the
//! override is reported.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::extract::txt::{decode_with, detect};

/// How far into the file a charset declaration is looked for.
const PRESCAN_BYTES: usize = 16 * 1024;

/// Valid UTF-8 with at least this many non-ASCII characters is taken as UTF-8
/// whatever the page declares: legacy CJK text almost never forms that many
/// valid UTF-8 sequences by chance.
const UTF8_EVIDENCE_CHARS: usize = 8;

pub struct PageText {
    pub text: String,
    pub warnings: Vec<String>,
}

/// A charset named by the page itself.
struct Declared {
    label: String,
    encoding: &'static Encoding,
}

pub fn decode_page(bytes: &[u8]) -> PageText {
    let mut warnings = Vec::new();
    let encoding = if let Some((bom, _)) = Encoding::for_bom(bytes) {
        bom
    } else {
        match declared_charset(bytes) {
            Some(declared) => {
                let actual = verify(bytes, declared.encoding);
                if actual != declared.encoding {
                    warnings.push(format!(
                        "网页声明的字符编码为 {}，但内容实际为 {} 编码，已按 {} 解码",
                        declared.label,
                        display_name(actual),
                        display_name(actual)
                    ));
                }
                actual
            }
            None => detect(bytes),
        }
    };
    let decoded = decode_with(bytes, encoding);
    warnings.extend(decoded.warning);
    PageText {
        text: decoded.text,
        warnings,
    }
}

/// Picks the encoding the bytes support, starting from the declared one.
fn verify(bytes: &[u8], declared: &'static Encoding) -> &'static Encoding {
    if declared == UTF_8 {
        // `detect` says UTF-8 for valid or nearly valid UTF-8.
        let sniffed = detect(bytes);
        if sniffed == UTF_8 {
            return UTF_8;
        }
        return [sniffed, GB18030]
            .into_iter()
            .find(|enc| decodes_cleanly(bytes, enc))
            .unwrap_or(UTF_8);
    }
    if utf8_with_evidence(bytes) {
        return UTF_8;
    }
    if declared.is_single_byte() && !bytes.is_ascii() {
        // A Western single-byte label on a Chinese page is a template default.
        let sniffed = detect(bytes);
        if !sniffed.is_single_byte() && (sniffed == UTF_8 || decodes_cleanly(bytes, sniffed)) {
            return sniffed;
        }
    }
    if !decodes_cleanly(bytes, declared) {
        let sniffed = detect(bytes);
        if sniffed != declared && decodes_cleanly(bytes, sniffed) {
            return sniffed;
        }
    }
    declared
}

fn display_name(encoding: &'static Encoding) -> String {
    encoding.name().to_ascii_uppercase()
}

fn decodes_cleanly(bytes: &[u8], encoding: &'static Encoding) -> bool {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
}

fn utf8_with_evidence(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .map(|s| {
            s.chars()
                .filter(|c| !c.is_ascii())
                .take(UTF8_EVIDENCE_CHARS)
                .count()
        })
        .is_ok_and(|n| n >= UTF8_EVIDENCE_CHARS)
}

/// The first charset declared in a `<meta>` tag (`charset=` or the
/// `http-equiv` content string), else in an XML declaration.
fn declared_charset(bytes: &[u8]) -> Option<Declared> {
    let head = bytes.get(..bytes.len().min(PRESCAN_BYTES)).unwrap_or(bytes);
    let lower = head.to_ascii_lowercase();
    meta_charset(&lower)
        .or_else(|| xml_encoding(&lower))
        .and_then(|label| {
            let encoding = normalise(Encoding::for_label(label.as_bytes())?);
            Some(Declared { label, encoding })
        })
}

/// Maps labels the way browsers do for HTML, and GBK to its superset.
fn normalise(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == GBK {
        GB18030
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        // A UTF-16 label inside ASCII-readable markup cannot be true.
        UTF_8
    } else if encoding.name() == "x-user-defined" {
        WINDOWS_1252
    } else {
        encoding
    }
}

fn meta_charset(lower: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(lower.get(from..)?, b"<meta") {
        let start = from + pos + 5;
        let rest = lower.get(start..)?;
        let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        let tag = rest.get(..end)?;
        if let Some(label) = value_after(tag, b"charset") {
            return Some(label);
        }
        from = start + end;
    }
    None
}

fn xml_encoding(lower: &[u8]) -> Option<String> {
    let trimmed = lower.trim_ascii_start();
    if !trimmed.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(trimmed, b"?>")?;
    value_after(trimmed.get(..end)?, b"encoding")
}

/// The token after `name`, optional spaces, `=`, optional spaces and quote.
fn value_after(tag: &[u8], name: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(tag.get(from..)?, name) {
        let rest = tag.get(from + pos + name.len()..)?.trim_ascii_start();
        if let Some(value) = rest.strip_prefix(b"=") {
            let value = value
                .trim_ascii_start()
                .strip_prefix(b"\"")
                .or_else(|| value.trim_ascii_start().strip_prefix(b"'"))
                .unwrap_or(value.trim_ascii_start());
            let label: String = value
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(b))
                .map(|&b| b as char)
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
        from += pos + name.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>第一条 为了促进公平竞争，优化营商环境，制定本办法。</p>";

    fn page(meta: &str) -> String {
        format!("<html><head>{meta}<title>测试</title></head><body>{BODY}</body></html>")
    }

    #[test]
    fn declared_charset_is_found_in_meta_and_xml_declaration() {
        let cases = [
            (r#"<meta charset="GB2312">"#, "gb2312"),
            (
                r#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gbk">"#,
                "gbk",
            ),
            (r#"<meta charset='utf-8' />"#, "utf-8"),
        ];
        for (meta, label) in cases {
            let d = declared_charset(page(meta).as_bytes()).expect("declaration found");
            assert_eq!(d.label, label);
        }
        let xml = r#"<?xml version="1.0" encoding="GBK"?><html><body></body></html>"#;
        assert_eq!(
            declared_charset(xml.as_bytes()).map(|d| d.encoding),
            Some(GB18030)
        );
        assert!(declared_charset(page("").as_bytes()).is_none());
    }

    #[test]
    fn gbk_bytes_declared_utf8_are_decoded_as_gb18030_with_warning() {
        let html = page(r#"<meta charset="utf-8">"#);
        let (bytes, _, _) = GB18030.encode(&html);
        let decoded = decode_page(&bytes);
        assert!(decoded.text.contains("为了促进公平竞争"));
        assert_eq!(decoded.warnings.len(), 1, "{:?}", decoded.warnings);
        assert!(decoded.warnings[0].contains("utf-8"));
        assert!(decoded.warnings[0].contains("GB18030"));
    }

    #[test]
    fn utf8_bytes_declared_gbk_are_decoded_as_utf8_with_warning() {
        let html = page(r#"<meta http-equiv="Content-Type" content="text/html; charset=gbk">"#);
        let decoded = decode_page(html.as_bytes());
        assert!(decoded.text.contains("为了促进公平竞争"));
        assert_eq!(decoded.warnings.len(), 1);
        assert!(decoded.warnings[0].contains("UTF-8"));
    }

    #[test]
    fn honest_declarations_give_no_warning() {
        let html = page(r#"<meta charset="gb2312">"#);
        let (bytes, _, _) = GB18030.encode(&html);
        let decoded = decode_page(&bytes);
        assert!(decoded.text.contains("为了促进公平竞争"));
        assert!(decoded.warnings.is_empty());

        let html = page(r#"<meta charset="utf-8">"#);
        let decoded = decode_page(html.as_bytes());
        assert!(decoded.text.contains("为了促进公平竞争"));
        assert!(decoded.warnings.is_empty());
    }

    #[test]
    fn bom_wins_over_declaration() {
        let html = page(r#"<meta charset="gbk">"#);
        let bytes = [&[0xEF, 0xBB, 0xBF][..], html.as_bytes()].concat();
        let decoded = decode_page(&bytes);
        assert!(decoded.text.contains("为了促进公平竞争"));
        assert!(decoded.warnings.is_empty());
    }

    #[test]
    fn western_label_on_chinese_bytes_is_overridden() {
        let html = page(r#"<meta charset="iso-8859-1">"#);
        let (bytes, _, _) = GB18030.encode(&html);
        let decoded = decode_page(&bytes);
        assert!(
            decoded.text.contains("为了促进公平竞争"),
            "{}",
            decoded.text
        );
        assert_eq!(decoded.warnings.len(), 1);
    }
}
