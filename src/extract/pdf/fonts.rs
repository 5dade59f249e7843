//! Fonts as the text layer needs them: how a shown string splits into codes,
//! what text each code stands for and how far it advances.
//!
//! Text comes from the font's `ToUnicode` map first, then from what the
//! encoding itself implies: predefined Unicode CMaps (UniGB-UCS2-H …), legacy
//! CJK byte encodings (GBK-EUC-H …) and simple-font encodings (WinAnsi,
//! Standard, MacRoman, Differences). Codes that imply nothing stay unmapped,
//! which the text-layer check later reports as "needs OCR".

use encoding_rs::{BIG5, EUC_JP, EUC_KR, Encoding as Charset, GB18030, SHIFT_JIS};
use lopdf::{Dictionary, Document, Object};

use super::chars::unify_radical;
use super::cmap::CMap;
use super::encodings::{is_dingbat_font, looks_cjk_font, simple_table};
use super::objects::{Budget, as_dict, get, get_array, get_dict, get_name, get_num, nums, resolve};
use crate::extract::ExtractError;

/// Entries read from a `W` or `Widths` array at most.
const MAX_WIDTHS: usize = 100_000;

pub struct Font {
    to_unicode: Option<CMap>,
    scheme: Scheme,
    widths: Widths,
    /// Vertical writing (Identity-V, UniGB-UCS2-V …): glyphs advance downwards.
    pub vertical: bool,
}

enum Scheme {
    /// One-byte codes with the text of each code (None: no known text).
    Simple(Vec<Option<Box<str>>>),
    /// Two-byte codes that are glyph or CID numbers: no text of their own.
    Identity,
    /// Codes and CIDs from the font's own CMap: no text of their own.
    Embedded(CMap),
    /// Predefined CMaps whose codes are Unicode (UniGB-UCS2-H, UniGB-UTF16-H …).
    Unicode(UnicodeForm),
    /// Predefined CMaps whose codes are legacy multi-byte text (GBK-EUC-H …).
    Legacy(&'static Charset),
}

#[derive(Clone, Copy, PartialEq)]
enum UnicodeForm {
    Ucs2,
    Utf16,
    Utf32,
    Utf8,
}

enum Widths {
    /// Simple fonts: widths from `first` on; `scale` turns them into text space.
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
        scale: f32,
    },
    /// CID fonts: sorted, non-overlapping (first CID, last CID, width) runs.
    Cid {
        default: f32,
        runs: Vec<(u32, u32, f32)>,
    },
}

impl Font {
    /// Reads a font dictionary. Only decoding over budget fails; anything
    /// malformed degrades to a font with fewer known codes.
    pub fn load(
        doc: &Document,
        dict: &Dictionary,
        budget: &mut Budget,
    ) -> Result<Font, ExtractError> {
        let to_unicode = match get(doc, dict, b"ToUnicode") {
            Some(Object::Stream(s)) => budget
                .decode(s)?
                .map(|data| CMap::parse(&data))
                .filter(|cmap| !cmap.is_empty()),
            _ => None,
        };
        if get_name(doc, dict, b"Subtype") == Some(b"Type0") {
            load_composite(doc, dict, to_unicode, budget)
        } else {
            Ok(load_simple(doc, dict, to_unicode))
        }
    }

    /// A font for text shown before any `Tf`: nothing is known about it.
    pub fn unknown() -> Font {
        Font {
            to_unicode: None,
            scheme: Scheme::Simple(vec![None; 256]),
            widths: Widths::Simple {
                first: 0,
                widths: Vec::new(),
                missing: 500.0,
                scale: 0.001,
            },
            vertical: false,
        }
    }

    /// Byte length of the code at the start of `bytes` (at least 1).
    pub fn code_len(&self, bytes: &[u8]) -> usize {
        let first = bytes.first().copied().unwrap_or(0);
        let second = bytes.get(1).copied().unwrap_or(0);
        let n = match &self.scheme {
            Scheme::Simple(_) => 1,
            Scheme::Identity => 2,
            Scheme::Embedded(cmap) => cmap
                .code_len(bytes)
                .or_else(|| cmap.min_code_len())
                .unwrap_or(2),
            Scheme::Unicode(UnicodeForm::Ucs2) => 2,
            Scheme::Unicode(UnicodeForm::Utf16) => {
                if (0xD8..=0xDB).contains(&first) {
                    4
                } else {
                    2
                }
            }
            Scheme::Unicode(UnicodeForm::Utf32) => 4,
            Scheme::Unicode(UnicodeForm::Utf8) => match first {
                0xF0..=0xF7 => 4,
                0xE0..=0xEF => 3,
                0xC0..=0xDF => 2,
                _ => 1,
            },
            Scheme::Legacy(cs) => legacy_code_len(cs, first, second),
        };
        n.clamp(1, bytes.len().max(1))
    }

    /// Appends the text of one code to `out`; false when the code has no known text.
    pub fn write_text(&self, code_bytes: &[u8], out: &mut String) -> bool {
        let len = code_bytes.len().min(4) as u8;
        let code = code_value(code_bytes);
        let start = out.len();
        let mapped = match &self.to_unicode {
            Some(cmap) if cmap.write_text(code, len, out) => true,
            _ => self.write_implied_text(code, code_bytes, out),
        };
        if out.get(start..).is_some_and(|s| s.chars().any(is_radical)) {
            let fixed: String = out
                .get(start..)
                .unwrap_or_default()
                .chars()
                .map(unify_radical)
                .collect();
            out.truncate(start);
            out.push_str(&fixed);
        }
        mapped
    }

    fn write_implied_text(&self, code: u32, code_bytes: &[u8], out: &mut String) -> bool {
        match &self.scheme {
            Scheme::Simple(table) => match table.get(code as usize).and_then(Option::as_deref) {
                Some(text) => {
                    out.push_str(text);
                    true
                }
                None => false,
            },
            Scheme::Identity | Scheme::Embedded(_) => false,
            Scheme::Unicode(form) => match decode_unicode(*form, code_bytes) {
                Some(c) if c != '\0' => {
                    out.push(c);
                    true
                }
                _ => false,
            },
            Scheme::Legacy(cs) => {
                match cs.decode_without_bom_handling_and_without_replacement(code_bytes) {
                    Some(text) if !text.is_empty() && !text.starts_with('\0') => {
                        out.push_str(&text);
                        true
                    }
                    _ => false,
                }
            }
        }
    }

    /// Advance of one code in text space units for a font size of 1.
    pub fn width(&self, code_bytes: &[u8]) -> f32 {
        if self.vertical {
            // Vertical metrics (W2/DW2) default to one em down.
            return 1.0;
        }
        let code = code_value(code_bytes);
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
                scale,
            } => {
                let w = code
                    .checked_sub(*first)
                    .and_then(|i| widths.get(i as usize))
                    .copied()
                    .unwrap_or(*missing);
                w * scale
            }
            Widths::Cid { default, runs } => {
                let w = self
                    .cid(code, code_bytes.len())
                    .and_then(|cid| {
                        let i = runs.partition_point(|r| r.0 <= cid);
                        runs.get(i.checked_sub(1)?)
                            .filter(|r| cid <= r.1)
                            .map(|r| r.2)
                    })
                    .unwrap_or(*default);
                w * 0.001
            }
        }
    }

    /// The CID of a code where it can be known without the predefined CMap
    /// files: identity, an embedded CMap, or the ASCII range that every
    /// Adobe character collection numbers from CID 1.
    fn cid(&self, code: u32, len: usize) -> Option<u32> {
        match &self.scheme {
            Scheme::Identity => Some(code),
            Scheme::Embedded(cmap) => cmap.cid(code, len as u8),
            Scheme::Unicode(_) | Scheme::Legacy(_) => {
                (0x20..=0x7E).contains(&code).then(|| code - 31)
            }
            Scheme::Simple(_) => None,
        }
    }
}

fn is_radical(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF)
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | b as u32)
}

fn decode_unicode(form: UnicodeForm, bytes: &[u8]) -> Option<char> {
    match form {
        UnicodeForm::Ucs2 | UnicodeForm::Utf16 => {
            let units = bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]));
            char::decode_utf16(units).next()?.ok()
        }
        UnicodeForm::Utf32 => char::from_u32(code_value(bytes)),
        UnicodeForm::Utf8 => std::str::from_utf8(bytes).ok()?.chars().next(),
    }
}

fn legacy_code_len(cs: &'static Charset, first: u8, second: u8) -> usize {
    if cs == SHIFT_JIS {
        return if matches!(first, 0x81..=0x9F | 0xE0..=0xFC) {
            2
        } else {
            1
        };
    }
    if cs == EUC_JP {
        return match first {
            0x8F => 3,
            0x8E | 0xA1..=0xFE => 2,
            _ => 1,
        };
    }
    match first {
        0x81..=0xFE if cs == GB18030 && (0x30..=0x39).contains(&second) => 4,
        0x81..=0xFE => 2,
        _ => 1,
    }
}

/// What a predefined CMap name says about codes and text.
fn predefined_scheme(name: &[u8]) -> Scheme {
    let name = String::from_utf8_lossy(name);
    let base = name
        .strip_suffix("-H")
        .or_else(|| name.strip_suffix("-V"))
        .unwrap_or(&name);
    if base.starts_with("Uni") {
        if base.contains("UCS2") {
            return Scheme::Unicode(UnicodeForm::Ucs2);
        }
        if base.contains("UTF16") {
            return Scheme::Unicode(UnicodeForm::Utf16);
        }
        if base.contains("UTF32") {
            return Scheme::Unicode(UnicodeForm::Utf32);
        }
        if base.contains("UTF8") {
            return Scheme::Unicode(UnicodeForm::Utf8);
        }
    }
    let charset = match base {
        "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" | "GBK2K" | "GBT-EUC" | "GBTpc-EUC" => {
            Some(GB18030)
        }
        "B5pc" | "ETen-B5" | "ETenms-B5" | "HKscs-B5" | "HKdla-B5" | "HKdlb-B5" | "HKgccs-B5"
        | "HKm314-B5" | "HKm471-B5" => Some(BIG5),
        "83pv-RKSJ" | "90ms-RKSJ" | "90msp-RKSJ" | "90pv-RKSJ" | "Add-RKSJ" | "Ext-RKSJ" => {
            Some(SHIFT_JIS)
        }
        "EUC" => Some(EUC_JP),
        "KSC-EUC" | "KSCms-UHC" | "KSCms-UHC-HW" | "KSCpc-EUC" => Some(EUC_KR),
        _ => None,
    };
    charset.map_or(Scheme::Identity, Scheme::Legacy)
}

fn load_composite(
    doc: &Document,
    dict: &Dictionary,
    to_unicode: Option<CMap>,
    budget: &mut Budget,
) -> Result<Font, ExtractError> {
    let (scheme, vertical) = match get(doc, dict, b"Encoding") {
        Some(Object::Name(name)) => (predefined_scheme(name), name.ends_with(b"-V")),
        Some(Object::Stream(s)) => {
            let vertical = get_num(doc, &s.dict, b"WMode") == Some(1.0);
            let cmap = budget.decode(s)?.map(|d| CMap::parse(&d));
            match cmap {
                Some(cmap) if cmap.has_codespaces() => (Scheme::Embedded(cmap), vertical),
                _ => (Scheme::Identity, vertical),
            }
        }
        _ => (Scheme::Identity, false),
    };
    let descendant = get_array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .and_then(|o| resolve(doc, o))
        .and_then(as_dict);
    let widths = match descendant {
        Some(cid_font) => Widths::Cid {
            default: get_num(doc, cid_font, b"DW").unwrap_or(1000.0),
            runs: cid_widths(doc, get_array(doc, cid_font, b"W").unwrap_or_default()),
        },
        None => Widths::Cid {
            default: 1000.0,
            runs: Vec::new(),
        },
    };
    Ok(Font {
        to_unicode,
        scheme,
        widths,
        vertical,
    })
}

/// Parses a CIDFont `W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_widths(doc: &Document, items: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut runs = Vec::new();
    let mut i = 0;
    let as_cid = |o: Option<&Object>| {
        o.and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_i64().ok())
            .and_then(|v| u32::try_from(v).ok())
    };
    while i < items.len() && runs.len() < MAX_WIDTHS {
        let Some(first) = as_cid(items.get(i)) else {
            i += 1;
            continue;
        };
        match items.get(i + 1).and_then(|o| resolve(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, w) in nums(doc, ws).into_iter().take(MAX_WIDTHS).enumerate() {
                    let cid = first.saturating_add(k as u32);
                    runs.push((cid, cid, w));
                }
                i += 2;
            }
            Some(_) => {
                let last = as_cid(items.get(i + 1));
                let w = items
                    .get(i + 2)
                    .and_then(|o| resolve(doc, o))
                    .and_then(super::objects::num);
                if let (Some(last), Some(w)) = (last, w)
                    && first <= last
                {
                    runs.push((first, last, w));
                }
                i += 3;
            }
            None => break,
        }
    }
    runs.sort_by_key(|r| (r.0, r.1));
    // Drop runs that overlap an earlier one so lookups can binary-search.
    let mut out: Vec<(u32, u32, f32)> = Vec::with_capacity(runs.len());
    for r in runs {
        if out.last().is_none_or(|prev| prev.1 < r.0) {
            out.push(r);
        }
    }
    out
}

fn load_simple(doc: &Document, dict: &Dictionary, to_unicode: Option<CMap>) -> Font {
    let descriptor = get_dict(doc, dict, b"FontDescriptor");
    let embedded = descriptor.is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| d.has(k))
    });
    let base_font = get_name(doc, dict, b"BaseFont").unwrap_or_default();
    // An embedded CJK subset printed through a simple font without any
    // encoding information numbers its glyphs arbitrarily: the codes mean nothing.
    let meaningless =
        to_unicode.is_none() && embedded && !dict.has(b"Encoding") && looks_cjk_font(base_font);
    let table = if meaningless {
        vec![None; 256]
    } else if is_dingbat_font(base_font) {
        // Bullets and check marks: known, but no text worth keeping.
        vec![Some(Box::from("")); 256]
    } else {
        simple_table(doc, dict)
    };
    let is_type3 = get_name(doc, dict, b"Subtype") == Some(b"Type3");
    let scale = if is_type3 {
        get_array(doc, dict, b"FontMatrix")
            .map(|m| nums(doc, m))
            .and_then(|m| m.first().copied())
            .filter(|v| *v != 0.0)
            .unwrap_or(0.001)
    } else {
        0.001
    };
    let fallback = if base_font
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"courier"))
    {
        600.0
    } else {
        500.0
    };
    let missing = descriptor
        .and_then(|d| get_num(doc, d, b"MissingWidth"))
        .filter(|w| *w > 0.0)
        .unwrap_or(fallback);
    let first = get_num(doc, dict, b"FirstChar")
        .unwrap_or(0.0)
        .clamp(0.0, 255.0) as u32;
    let widths = get_array(doc, dict, b"Widths")
        .map(|w| nums(doc, &w[..w.len().min(256)]))
        .unwrap_or_default();
    Font {
        to_unicode,
        scheme: Scheme::Simple(table),
        widths: Widths::Simple {
            first,
            widths,
            missing,
            scale,
        },
        vertical: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(font: &Font, bytes: &[u8]) -> (String, usize) {
        let mut out = String::new();
        let mut unmapped = 0;
        let mut pos = 0;
        while pos < bytes.len() {
            let n = font.code_len(&bytes[pos..]);
            if !font.write_text(&bytes[pos..pos + n], &mut out) {
                unmapped += 1;
            }
            pos += n;
        }
        (out, unmapped)
    }

    fn font_with(scheme: Scheme) -> Font {
        Font {
            to_unicode: None,
            scheme,
            widths: Widths::Cid {
                default: 1000.0,
                runs: vec![(1, 95, 500.0)],
            },
            vertical: false,
        }
    }

    #[test]
    fn predefined_unicode_and_legacy_cmaps() {
        let ucs2 = font_with(predefined_scheme(b"UniGB-UCS2-H"));
        let bytes: Vec<u8> = "第一条 公平"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&ucs2, &bytes), ("第一条 公平".to_string(), 0));
        assert_eq!(ucs2.width(&[0, b'A']), 0.5);
        assert_eq!(ucs2.width(&[0x4E, 0]), 1.0);

        let utf16 = font_with(predefined_scheme(b"UniGB-UTF16-V"));
        let bytes: Vec<u8> = "字𠀋".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&utf16, &bytes).0, "字𠀋");

        let gbk = font_with(predefined_scheme(b"GBK-EUC-H"));
        let (bytes, _, _) = GB18030.encode("第3条审查");
        assert_eq!(decode(&gbk, &bytes).0, "第3条审查");

        let identity = font_with(predefined_scheme(b"Identity-H"));
        assert_eq!(decode(&identity, &[0, 3, 0, 4]), (String::new(), 2));
    }

    #[test]
    fn simple_font_widths_and_text() {
        let doc = Document::new();
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Font".to_vec()));
        dict.set("Subtype", Object::Name(b"Type1".to_vec()));
        dict.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
        dict.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        dict.set("FirstChar", Object::Integer(65));
        dict.set("Widths", Object::Array(vec![Object::Integer(667)]));
        let font = load_simple(&doc, &dict, None);
        assert_eq!(decode(&font, b"Ab\xe9"), ("Abé".to_string(), 0));
        assert!((font.width(b"A") - 0.667).abs() < 1e-6);
        assert_eq!(font.width(b"b"), 0.5);
    }

    #[test]
    fn to_unicode_wins_and_radicals_are_unified() {
        let mut font = font_with(Scheme::Identity);
        font.to_unicode = Some(CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
              2 beginbfchar <0001> <2F45> <0002> <2FAF> endbfchar",
        ));
        assert_eq!(decode(&font, &[0, 1, 0, 2, 0, 3]), ("方面".to_string(), 1));
    }
}
