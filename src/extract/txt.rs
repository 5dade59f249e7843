//! Plain text: UTF-8 (with or without BOM), GB18030/GBK, UTF-16LE/BE.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::text::TextBuilder;
use super::{BlockKind, Context, ExtractError, Extracted, Extractor};

pub struct TxtExtractor;

impl Extractor for TxtExtractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError> {
        let decoded = decode(bytes);
        let mut builder = TextBuilder::new();
        for (i, line) in decoded.text.lines().enumerate() {
            if i % 8192 == 0 {
                ctx.deadline.check()?;
            }
            builder.push(BlockKind::Paragraph, line, None, Some(i as u32));
        }
        let mut ex = builder.finish();
        ex.warnings.extend(decoded.warning);
        Ok(ex)
    }
}

/// Text decoded from unknown bytes, with the encoding that was used.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Set when bytes had to be replaced.
    pub warning: Option<String>,
}

/// Decodes bytes of unknown encoding: BOM first, then the UTF-16 NUL pattern
/// (which statistical detectors never guess), then strict UTF-8, then a guess
/// over the first 64 KiB.
pub fn decode(bytes: &[u8]) -> Decoded {
    // The common case, valid UTF-8 without a BOM, is validated once here
    // rather than once to detect and again to decode.
    if Encoding::for_bom(bytes).is_none()
        && utf16_by_nul_pattern(bytes).is_none()
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Decoded {
            text: text.to_owned(),
            encoding: UTF_8,
            warning: None,
        };
    }
    let encoding = detect(bytes);
    decode_with(bytes, encoding)
}

/// Decodes with a given encoding (a BOM still wins), noting replaced bytes.
pub fn decode_with(bytes: &[u8], encoding: &'static Encoding) -> Decoded {
    let (text, used, had_errors) = encoding.decode(bytes);
    let warning =
        had_errors.then(|| format!("部分字节不是有效的 {} 编码，已替换为 �", display_name(used)));
    Decoded {
        text: text.into_owned(),
        encoding: used,
        warning,
    }
}

pub fn detect(bytes: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if let Some(enc) = utf16_by_nul_pattern(bytes) {
        return enc;
    }
    // Validating UTF-8 runs at memory speed; the detector is far slower, so it
    // only sees a prefix and only when UTF-8 fails.
    if std::str::from_utf8(bytes).is_ok() || mostly_utf8(&bytes[..bytes.len().min(64 * 1024)]) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    detector.feed(sample, sample.len() == bytes.len());
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // GBK is decoded as its superset GB18030.
    if guess == encoding_rs::GBK {
        GB18030
    } else {
        guess
    }
}

/// UTF-8 with a few damaged bytes: many valid multi-byte sequences and few
/// errors. Such text is decoded as UTF-8 with replacements rather than guessed
/// as a legacy encoding (which would garble all of it).
fn mostly_utf8(mut sample: &[u8]) -> bool {
    let (mut multibyte, mut errors) = (0usize, 0usize);
    loop {
        match std::str::from_utf8(sample) {
            Ok(s) => {
                multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, rest) = sample.split_at(e.valid_up_to());
                multibyte += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                match e.error_len() {
                    Some(n) => {
                        errors += 1;
                        sample = &rest[n..];
                    }
                    // Truncated sequence at the end of the sample: not an error.
                    None => break,
                }
            }
        }
    }
    multibyte >= 2 && errors * 10 <= multibyte
}

/// UTF-16 without BOM: in CJK text one byte of each pair is rarely NUL, but in
/// ASCII-heavy lines it is. Looks at even/odd NUL counts in the first 4 KiB.
pub fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 16 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += (pair[0] == 0) as usize;
        odd += (pair[1] == 0) as usize;
    }
    let pairs = sample.len() / 2;
    if odd * 5 >= pairs && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 5 >= pairs && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn display_name(enc: &'static Encoding) -> &'static str {
    enc.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "关于印发《某市促进民营经济发展若干措施》的通知\n第一条 为了优化营商环境。";

    #[test]
    fn decodes_every_supported_encoding() {
        let utf8_bom = [&[0xEF, 0xBB, 0xBF][..], SAMPLE.as_bytes()].concat();
        let (gb, _, _) = GB18030.encode(SAMPLE);
        let le: Vec<u8> = SAMPLE
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be_bom: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(SAMPLE.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        for bytes in [
            SAMPLE.as_bytes().to_vec(),
            utf8_bom,
            gb.into_owned(),
            be_bom,
        ] {
            let d = decode(&bytes);
            assert_eq!(
                d.text.trim_start_matches('\u{FEFF}'),
                SAMPLE,
                "{}",
                d.encoding.name()
            );
            assert!(d.warning.is_none());
        }
        // UTF-16LE without BOM is recognised only when ASCII gives NULs away.
        let ascii_heavy = "Article 1: 第一条 test text for detection\n".repeat(4);
        let le_ascii: Vec<u8> = ascii_heavy
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&le_ascii).text, ascii_heavy);
        let _ = le;
    }

    #[test]
    fn invalid_bytes_become_a_warning() {
        let mut bytes = "第一条 为了促进公平竞争，制定本办法。".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, 0x80]);
        bytes.extend_from_slice("内容".as_bytes());
        let d = decode(&bytes);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.starts_with("第一条") && d.text.ends_with("内容"));
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.warning.is_some());
    }
}
