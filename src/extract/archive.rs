//! Bounded reading of zip containers (docx, ofd).
//!
//! Every entry is inflated through a byte budget: a declared size that lies, a
//! ratio typical of zip bombs, or a running total over the limit stops reading at
//! once. Entries whose names escape the archive root (zip-slip) are never served.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::{Context, ExtractError};

pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Decompressed bytes still allowed for this file.
    remaining: u64,
    max_ratio: u64,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8], ctx: &Context) -> Result<Self, ExtractError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
        Ok(Archive {
            zip,
            remaining: ctx.limits.max_decompressed_bytes,
            max_ratio: ctx.limits.max_compression_ratio,
        })
    }

    /// Names of the entries that stay inside the archive root.
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(|n| n.ok())
            .filter(|n| is_safe_name(n))
            .map(|n| n.into_owned())
            .collect()
    }

    /// Inflates one entry within the budget. `Ok(None)` when the entry is absent.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        if !is_safe_name(name) {
            return Ok(None);
        }
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_error(e)),
        };
        if entry.encrypted() {
            return Err(ExtractError::Encrypted(format!("压缩包条目 {name} 已加密")));
        }
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        // Small entries may compress very well legitimately; only judge the
        // ratio once an entry is big enough to matter.
        if declared > 1024 * 1024 && declared / compressed > self.max_ratio {
            return Err(bomb(name));
        }
        if declared > self.remaining {
            return Err(bomb(name));
        }
        // Never trust the declared size: cap the actual inflation too.
        let cap = self
            .remaining
            .min(compressed.saturating_mul(self.max_ratio).max(1024 * 1024));
        let mut out = Vec::with_capacity(declared.min(cap) as usize);
        entry
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| ExtractError::Corrupt(format!("无法解压 {name}：{e}")))?;
        if out.len() as u64 > cap {
            return Err(bomb(name));
        }
        self.remaining -= out.len() as u64;
        Ok(Some(out))
    }
}

fn bomb(name: &str) -> ExtractError {
    ExtractError::TooLarge(format!(
        "压缩包条目 {name} 解压后过大或压缩比异常（疑似压缩炸弹）"
    ))
}

fn zip_error(e: ZipError) -> ExtractError {
    match e {
        ZipError::InvalidPassword
        | ZipError::UnsupportedArchive("Password required to decrypt file") => {
            ExtractError::Encrypted("压缩包已加密".into())
        }
        ZipError::Io(e) => ExtractError::Corrupt(format!("压缩包读取错误：{e}")),
        other => ExtractError::Corrupt(format!("压缩包结构无效：{other}")),
    }
}

/// Relative, no parent components, no drive or root: safe to name anywhere.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.starts_with('\\')
        && !name.contains(':')
        && !name.split(['/', '\\']).any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            for (name, data) in entries {
                w.start_file(*name, opts).unwrap();
                w.write_all(data).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn reads_entries_and_refuses_bombs_and_slips() {
        let big = vec![b'a'; 8 * 1024 * 1024];
        let bytes = zip_with(&[
            ("word/document.xml", b"<w/>"),
            ("../evil", b"x"),
            ("bomb", &big),
        ]);
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let mut a = Archive::open(&bytes, &ctx).unwrap();
        assert_eq!(a.read("word/document.xml").unwrap().unwrap(), b"<w/>");
        assert!(a.read("../evil").unwrap().is_none());
        assert!(!a.names().iter().any(|n| n.contains("..")));
        assert!(matches!(a.read("bomb"), Err(ExtractError::TooLarge(_))));
        assert!(a.read("missing").unwrap().is_none());
    }
}
