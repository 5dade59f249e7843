//! Text of the one-byte codes of simple fonts: the base encodings through
//! lopdf, `Differences` and glyph names read here.

use lopdf::{Dictionary, Document, Object};

use super::objects::{get, get_array, get_name, resolve};

/// Symbol fonts whose codes are pictures (bullets, check boxes), not letters.
pub fn is_dingbat_font(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    ["wingding", "webding", "dingbat", "marlett"]
        .iter()
        .any(|n| name.contains(n))
}

/// Font names of common Chinese, Japanese and Korean system fonts.
pub fn looks_cjk_font(name: &[u8]) -> bool {
    if name.iter().any(|b| !b.is_ascii()) {
        return true;
    }
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let name = name.split_once('+').map_or(name.as_str(), |(_, n)| n);
    const HINTS: &[&str] = &[
        "simsun",
        "simhei",
        "simkai",
        "simfang",
        "fangsong",
        "kaiti",
        "stsong",
        "stkaiti",
        "stfangsong",
        "stheiti",
        "stxihei",
        "msyh",
        "yahei",
        "dengxian",
        "mingliu",
        "songti",
        "heiti",
        "gb2312",
        "gbk",
        "fzxiaobiaosong",
        "fzfangsong",
        "fzkai",
        "fzhei",
        "fzshusong",
        "msmincho",
        "msgothic",
        "batang",
        "gulim",
        "cjk",
    ];
    HINTS.iter().any(|h| name.contains(h))
}

/// Text of each one-byte code of a simple font. lopdf supplies the base
/// encodings; `Differences` are read here, because lopdf drops the whole
/// encoding when one glyph name is unknown.
pub fn simple_table(doc: &Document, font: &Dictionary) -> Vec<Option<Box<str>>> {
    let (base, differences) = match get(doc, font, b"Encoding") {
        Some(Object::Name(name)) => (Some(name.as_slice()), None),
        Some(Object::Dictionary(enc)) => (
            get_name(doc, enc, b"BaseEncoding"),
            get_array(doc, enc, b"Differences"),
        ),
        _ => (None, None),
    };
    let mut table = base_table(doc, base);
    let mut code: usize = 0;
    for item in differences.unwrap_or_default() {
        match resolve(doc, item) {
            Some(Object::Integer(n)) => code = usize::try_from(*n).unwrap_or(usize::MAX),
            Some(Object::Name(glyph)) => {
                if let Some(slot) = table.get_mut(code) {
                    *slot = glyph_text(doc, glyph, 0).map(String::into_boxed_str);
                }
                code = code.saturating_add(1);
            }
            _ => {}
        }
    }
    table
}

fn base_table(doc: &Document, base: Option<&[u8]>) -> Vec<Option<Box<str>>> {
    const KNOWN: &[&[u8]] = &[
        b"StandardEncoding",
        b"WinAnsiEncoding",
        b"MacRomanEncoding",
        b"MacExpertEncoding",
        b"PDFDocEncoding",
    ];
    let mut probe = font_probe();
    if let Some(name) = base.filter(|n| KNOWN.contains(n)) {
        probe.set("Encoding", Object::Name(name.to_vec()));
    }
    let Ok(encoding) = probe.get_font_encoding(doc) else {
        return vec![None; 256];
    };
    (0..=255u8)
        .map(|b| {
            encoding
                .bytes_to_string(&[b])
                .ok()
                .filter(|s| !s.is_empty())
                .map(String::into_boxed_str)
        })
        .collect()
}

fn font_probe() -> Dictionary {
    let mut probe = Dictionary::new();
    probe.set("Type", Object::Name(b"Font".to_vec()));
    probe.set("Subtype", Object::Name(b"Type1".to_vec()));
    probe
}

/// Text of a glyph name: `uniXXXX`, `uXXXX[XX]`, ligatures `f_i`, suffixes
/// `a.sc`, and the Adobe glyph list through lopdf.
fn glyph_text(doc: &Document, name: &[u8], depth: u8) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() || depth > 2 {
        return None;
    }
    if base.contains('_') {
        let parts: Option<String> = base
            .split('_')
            .take(8)
            .map(|p| glyph_text(doc, p.as_bytes(), depth + 1))
            .collect();
        return parts;
    }
    if let Some(hex) = base.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let units = (0..hex.len() / 4)
            .filter_map(|i| u16::from_str_radix(hex.get(i * 4..i * 4 + 4)?, 16).ok());
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok();
    }
    if let Some(hex) = base.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    let mut probe = font_probe();
    let mut enc = Dictionary::new();
    enc.set(
        "Differences",
        Object::Array(vec![
            Object::Integer(0),
            Object::Name(base.as_bytes().to_vec()),
        ]),
    );
    probe.set("Encoding", Object::Dictionary(enc));
    let text = probe
        .get_font_encoding(doc)
        .ok()?
        .bytes_to_string(&[0])
        .ok()?;
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_over_a_base_encoding() {
        let doc = Document::new();
        let mut font = Dictionary::new();
        let mut enc = Dictionary::new();
        enc.set("BaseEncoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        enc.set(
            "Differences",
            Object::Array(vec![
                Object::Integer(65),
                Object::Name(b"uni4E2D".to_vec()),
                Object::Name(b"g123".to_vec()),
                Object::Name(b"f_i".to_vec()),
                Object::Name(b"eacute".to_vec()),
                Object::Name(b"u20BB7".to_vec()),
                Object::Name(b"a.sc".to_vec()),
            ]),
        );
        font.set("Encoding", Object::Dictionary(enc));
        let table = simple_table(&doc, &font);
        let text = |b: u8| table[b as usize].as_deref();
        assert_eq!(text(b'A'), Some("中"));
        assert_eq!(text(b'B'), None);
        assert_eq!(text(b'C'), Some("fi"));
        assert_eq!(text(b'D'), Some("é"));
        assert_eq!(text(b'E'), Some("𠮷"));
        assert_eq!(text(b'F'), Some("a"));
        assert_eq!(text(0x93), Some("“"));
        assert_eq!(text(b' '), Some(" "));
    }

    #[test]
    fn cjk_font_names() {
        assert!(looks_cjk_font(b"ABCDEF+SimSun"));
        assert!(looks_cjk_font("宋体".as_bytes()));
        assert!(!looks_cjk_font(b"ABCDEF+TimesNewRomanPSMT"));
    }
}
