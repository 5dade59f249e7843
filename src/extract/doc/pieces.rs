//! The piece table (CLX → PlcPcd): where each run of character positions
//! (CPs) is stored in the WordDocument stream, and how it is encoded.

use std::ops::Range;

use super::bytes::{u8_at, u16_at, u32_at};
use crate::extract::{Context, ExtractError};

#[derive(Debug, Clone)]
struct Piece {
    cp: Range<u32>,
    /// Byte offset of the piece's first character in the WordDocument stream.
    offset: u32,
    /// One byte per character (Windows-1252) instead of UTF-16LE.
    compressed: bool,
}

#[derive(Debug)]
pub struct Pieces {
    list: Vec<Piece>,
    /// Windows-1252 as the spec maps 8-bit pieces (0x80–0x9F to typographic marks).
    ansi: [char; 256],
}

/// One decoded character and the byte offset of its first code unit in the
/// WordDocument stream (paragraph properties are keyed by it).
#[derive(Debug, Clone, Copy)]
pub struct CharAt {
    pub ch: char,
    pub fc: u32,
}

fn corrupt(what: &str) -> ExtractError {
    ExtractError::Corrupt(format!("文本片段表（piece table）{what}"))
}

impl Pieces {
    /// Reads the CLX: any number of Prc (property modifiers, skipped) followed by one Pcdt.
    pub fn from_clx(clx: &[u8], word_len: usize) -> Result<Pieces, ExtractError> {
        let mut at = 0usize;
        let plc = loop {
            match u8_at(clx, at) {
                Some(0x01) => {
                    let cb = u16_at(clx, at + 1).ok_or_else(|| corrupt("不完整"))?;
                    at += 3 + cb as usize;
                }
                Some(0x02) => {
                    let lcb = u32_at(clx, at + 1).ok_or_else(|| corrupt("不完整"))? as usize;
                    break clx
                        .get(at + 5..(at + 5).saturating_add(lcb))
                        .ok_or_else(|| corrupt("超出表数据流"))?;
                }
                _ => return Err(corrupt("格式不正确")),
            }
        };
        if plc.len() < 16 || (plc.len() - 4) % 12 != 0 {
            return Err(corrupt("长度不正确"));
        }
        let n = (plc.len() - 4) / 12;
        let cps_end = (n + 1) * 4;
        let mut list = Vec::with_capacity(n);
        for i in 0..n {
            let (Some(start), Some(end), Some(fc)) = (
                u32_at(plc, i * 4),
                u32_at(plc, i * 4 + 4),
                u32_at(plc, cps_end + i * 8 + 2),
            ) else {
                return Err(corrupt("不完整"));
            };
            if end < start || list.last().is_some_and(|p: &Piece| p.cp.end > start) {
                return Err(corrupt("顺序错乱"));
            }
            let compressed = fc & 0x4000_0000 != 0;
            let raw = fc & 0x3FFF_FFFF;
            let offset = if compressed { raw / 2 } else { raw };
            let width = if compressed { 1 } else { 2 };
            let bytes = u64::from(end - start) * width;
            if u64::from(offset) + bytes > word_len as u64 {
                return Err(corrupt("指向 WordDocument 数据流之外"));
            }
            list.push(Piece {
                cp: start..end,
                offset,
                compressed,
            });
        }
        Ok(Pieces {
            list,
            ansi: windows_1252_table(),
        })
    }

    /// One past the last CP the pieces cover.
    pub fn end_cp(&self) -> u32 {
        self.list.last().map_or(0, |p| p.cp.end)
    }

    /// Calls `f` for every character in `range`, in CP order.
    pub fn walk(
        &self,
        word: &[u8],
        range: Range<u32>,
        ctx: &Context,
        mut f: impl FnMut(CharAt) -> Result<(), ExtractError>,
    ) -> Result<(), ExtractError> {
        let mut since_check = 0usize;
        // Pieces are in CP order: start at the first one the range reaches.
        let first_piece = self.list.partition_point(|p| p.cp.end <= range.start);
        for piece in self.list.iter().skip(first_piece) {
            if piece.cp.start >= range.end {
                break;
            }
            let start = range.start.max(piece.cp.start);
            let end = range.end.min(piece.cp.end);
            if start >= end {
                continue;
            }
            let first = (start - piece.cp.start) as usize;
            let count = (end - start) as usize;
            ctx.deadline.check()?;
            if piece.compressed {
                let at = piece.offset as usize + first;
                let bytes = word.get(at..at + count).ok_or_else(|| corrupt("不完整"))?;
                for (i, &b) in bytes.iter().enumerate() {
                    tick(&mut since_check, ctx)?;
                    f(CharAt {
                        ch: self.ansi[b as usize],
                        fc: (at + i) as u32,
                    })?;
                }
            } else {
                let at = piece.offset as usize + first * 2;
                let bytes = word
                    .get(at..at + count * 2)
                    .ok_or_else(|| corrupt("不完整"))?;
                let units = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]));
                let mut unit = 0usize;
                for decoded in char::decode_utf16(units) {
                    tick(&mut since_check, ctx)?;
                    let (ch, len) = match decoded {
                        Ok(c) => (c, c.len_utf16()),
                        Err(_) => (char::REPLACEMENT_CHARACTER, 1),
                    };
                    f(CharAt {
                        ch,
                        fc: (at + unit * 2) as u32,
                    })?;
                    unit += len;
                }
            }
        }
        Ok(())
    }
}

fn tick(since_check: &mut usize, ctx: &Context) -> Result<(), ExtractError> {
    *since_check += 1;
    if *since_check >= 1 << 14 {
        *since_check = 0;
        ctx.deadline.check()?;
    }
    Ok(())
}

fn windows_1252_table() -> [char; 256] {
    let bytes: Vec<u8> = (0..=255u8).collect();
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    let mut table = ['\u{FFFD}'; 256];
    for (slot, c) in table.iter_mut().zip(text.chars()) {
        *slot = c;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_table_maps_typographic_marks() {
        let t = windows_1252_table();
        assert_eq!(t[0x93], '\u{201C}');
        assert_eq!(t[0x85], '\u{2026}');
        assert_eq!(t[0x9F], '\u{0178}');
        assert_eq!(t[b'A' as usize], 'A');
    }
}
