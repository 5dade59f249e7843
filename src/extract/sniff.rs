//! Format detection from the bytes, with the file name only as a tie-breaker.

use serde::Serialize;

use super::ExtractError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Html,
    Docx,
    Pdf,
    /// Word 97–2003 / WPS binary (OLE compound file).
    Doc,
    /// An OOXML file protected with a password (OLE container holding `EncryptedPackage`).
    EncryptedOffice,
    Ofd,
    Odt,
    Rtf,
    Xlsx,
    Image,
    Zip,
    Binary,
    Empty,
}

impl Format {
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Doc => "doc",
            Format::EncryptedOffice => "encrypted_office",
            Format::Ofd => "ofd",
            Format::Odt => "odt",
            Format::Rtf => "rtf",
            Format::Xlsx => "xlsx",
            Format::Image => "image",
            Format::Zip => "zip",
            Format::Binary => "binary",
            Format::Empty => "empty",
        }
    }

    /// The per-file error for formats this build cannot read.
    pub fn unsupported(&self) -> ExtractError {
        match self {
            Format::EncryptedOffice => {
                ExtractError::Encrypted("Office 文档设有打开密码，请解密后再审查".into())
            }
            Format::Empty => ExtractError::Corrupt("文件为空".into()),
            Format::Image => ExtractError::NeedsOcr("图片文件，需要文字识别后才能审查".into()),
            Format::Doc => ExtractError::Unsupported(
                "Word 97–2003 / WPS 二进制文档（.doc/.wps），请另存为 .docx 后再审查".into(),
            ),
            Format::Ofd => ExtractError::Unsupported("OFD 版式文件".into()),
            other => ExtractError::Unsupported(format!("{} 文件", other.as_str())),
        }
    }
}

/// Picks the format from magic bytes and content; the name decides only between
/// text flavours that the bytes cannot tell apart.
pub fn sniff(bytes: &[u8], file_name: &str) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return sniff_ole(bytes);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if bytes.starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    if is_image(bytes) {
        return Format::Image;
    }
    if looks_like_text(bytes) {
        return if looks_like_html(bytes) || is_html_name(file_name) && has_markup(bytes) {
            Format::Html
        } else {
            Format::Text
        };
    }
    Format::Binary
}

/// The format a name suggests, used only when the bytes could not be read.
pub fn format_from_name(name: &str) -> Format {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "text" => Format::Text,
        "html" | "htm" | "shtml" | "xhtml" => Format::Html,
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        "doc" | "wps" => Format::Doc,
        "ofd" => Format::Ofd,
        _ => Format::Binary,
    }
}

fn sniff_zip(bytes: &[u8]) -> Format {
    // Entry names sit in plain bytes in local and central headers; a substring
    // check is enough to tell the package types apart without inflating anything.
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    if has(b"word/document.xml") {
        Format::Docx
    } else if has(b"OFD.xml") {
        Format::Ofd
    } else if has(b"xl/workbook.xml") {
        Format::Xlsx
    } else if has(b"application/vnd.oasis.opendocument.text") {
        Format::Odt
    } else {
        Format::Zip
    }
}

fn sniff_ole(bytes: &[u8]) -> Format {
    // Directory entry names are UTF-16LE.
    let encrypted: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    if memchr::memmem::find(bytes, &encrypted).is_some() {
        Format::EncryptedOffice
    } else {
        Format::Doc
    }
}

fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.starts_with(b"BM")
}

/// Text if it has a Unicode BOM, a UTF-16 NUL pattern, or almost no control bytes.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || super::txt::utf16_by_nul_pattern(bytes).is_some()
    {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    controls * 100 <= sample.len()
}

fn is_html_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".html", ".htm", ".shtml", ".xhtml"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn head_lower(bytes: &[u8], n: usize) -> String {
    // HTML markers are ASCII; decoding UTF-16 heads is done by dropping NULs.
    bytes[..bytes.len().min(n)]
        .iter()
        .filter(|&&b| b != 0)
        .map(|&b| (b as char).to_ascii_lowercase())
        .collect()
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = head_lower(bytes, 4096);
    let trimmed = head.trim_start_matches(|c: char| c.is_whitespace() || !c.is_ascii());
    trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || head.contains("<html")
        || head.contains("<head")
        || head.contains("<body")
        || (trimmed.starts_with('<') && (head.contains("<meta") || head.contains("<div")))
}

fn has_markup(bytes: &[u8]) -> bool {
    let head = head_lower(bytes, 8192);
    head.contains("<p") || head.contains("<div") || head.contains("<br")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_beat_extensions() {
        assert_eq!(sniff(b"%PDF-1.7\n", "a.docx"), Format::Pdf);
        assert_eq!(
            sniff(
                b"<html><body><p>\xe9\x80\x9a\xe7\x9f\xa5</p></body></html>",
                "a.doc"
            ),
            Format::Html
        );
        assert_eq!(
            sniff(
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
                "a.docx"
            ),
            Format::Doc
        );
        assert_eq!(sniff("第一条 为了规范".as_bytes(), "a.html"), Format::Text);
        assert_eq!(sniff(b"", "a.txt"), Format::Empty);
        assert_eq!(
            sniff(&[0u8, 1, 2, 3, 4, 5, 6, 7, 8, 200], "a.txt"),
            Format::Binary
        );
    }
}
