//! CMap programs embedded in a PDF: `ToUnicode` maps (code → text) and
//! embedded encoding CMaps (code → CID, plus the code lengths).
//!
//! Ranges are stored as ranges and never expanded, so a hostile
//! `<00000000> <FFFFFFFF>` entry costs one slot, not four billion.

use std::collections::HashMap;

/// Entries kept from one CMap; beyond this the rest is ignored.
const MAX_ENTRIES: usize = 200_000;
/// Longest destination string (UTF-16 units) of one code, e.g. a ligature.
const MAX_DST_UNITS: usize = 64;
/// Codespace ranges kept; real CMaps declare a handful, and every code
/// shown is checked against all of them.
const MAX_CODESPACES: usize = 64;

/// A parsed CMap. Codes are big-endian integers of 1 to 4 bytes; the byte
/// length is part of the key, as `<0041>` and `<41>` are different codes.
#[derive(Debug, Default)]
pub struct CMap {
    codespaces: Vec<Codespace>,
    chars: HashMap<(u8, u32), Target>,
    /// Sorted by (len, lo); `reach[i]` is the largest `hi` among ranges of the
    /// same length up to `i`, so a backwards scan knows when to stop.
    ranges: Vec<Range>,
    reach: Vec<u32>,
    entries: usize,
}

#[derive(Debug, Clone, Copy)]
struct Codespace {
    len: u8,
    lo: [u8; 4],
    hi: [u8; 4],
}

#[derive(Debug)]
struct Range {
    len: u8,
    lo: u32,
    hi: u32,
    target: Target,
}

#[derive(Debug, Clone)]
enum Target {
    /// UTF-16 text; within a range the last unit counts up from `lo`.
    Text(Vec<u16>),
    /// One UTF-16 string per code of the range.
    List(Vec<Vec<u16>>),
    /// CID; within a range it counts up from `lo`.
    Cid(u32),
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer { data, pos: 0 };
        while let Some(tok) = lexer.next() {
            if let Tok::Word(word) = tok {
                match word {
                    b"begincodespacerange" => cmap.read_codespaces(&mut lexer),
                    b"beginbfchar" => cmap.read_chars(&mut lexer, b"endbfchar"),
                    b"begincidchar" => cmap.read_chars(&mut lexer, b"endcidchar"),
                    b"beginbfrange" => cmap.read_ranges(&mut lexer, b"endbfrange"),
                    b"begincidrange" => cmap.read_ranges(&mut lexer, b"endcidrange"),
                    _ => {}
                }
            }
        }
        cmap.finish();
        cmap
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    pub fn has_codespaces(&self) -> bool {
        !self.codespaces.is_empty()
    }

    /// Length of the code at the start of `bytes` according to the codespace
    /// ranges, or `None` when no range matches.
    pub fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        (1..=4usize).find(|&n| {
            n <= bytes.len()
                && self.codespaces.iter().any(|cs| {
                    cs.len as usize == n
                        && (0..n).all(|i| {
                            let b = bytes.get(i).copied().unwrap_or(0);
                            cs.lo[i] <= b && b <= cs.hi[i]
                        })
                })
        })
    }

    /// The shortest code length any codespace range declares.
    pub fn min_code_len(&self) -> Option<usize> {
        self.codespaces.iter().map(|cs| cs.len as usize).min()
    }

    /// Appends the text of `code` to `out`; false when the code is not mapped.
    pub fn write_text(&self, code: u32, len: u8, out: &mut String) -> bool {
        let units = match self.find(code, len) {
            Some((lo, Target::Text(base))) => {
                let mut units = base.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add((code - lo) as u16);
                }
                units
            }
            Some((lo, Target::List(list))) => match list.get((code - lo) as usize) {
                Some(units) => units.clone(),
                None => return false,
            },
            _ => return false,
        };
        for c in char::decode_utf16(units) {
            out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        true
    }

    pub fn cid(&self, code: u32, len: u8) -> Option<u32> {
        match self.find(code, len) {
            Some((lo, Target::Cid(base))) => Some(base.wrapping_add(code - lo)),
            _ => None,
        }
    }

    /// The target covering `code` and the first code of its range.
    fn find(&self, code: u32, len: u8) -> Option<(u32, &Target)> {
        if let Some(target) = self.chars.get(&(len, code)) {
            return Some((code, target));
        }
        let end = self
            .ranges
            .partition_point(|r| (r.len, r.lo) <= (len, code));
        for i in (0..end).rev() {
            let range = self.ranges.get(i)?;
            if range.len != len || self.reach.get(i).is_none_or(|&reach| reach < code) {
                return None;
            }
            if range.hi >= code {
                return Some((range.lo, &range.target));
            }
        }
        None
    }

    fn full(&self) -> bool {
        self.entries >= MAX_ENTRIES
    }

    fn read_codespaces(&mut self, lexer: &mut Lexer) {
        while let Some(tok) = lexer.next() {
            match tok {
                Tok::Hex(lo) => {
                    let Some(Tok::Hex(hi)) = lexer.next() else {
                        return;
                    };
                    if (1..=4).contains(&lo.len())
                        && lo.len() == hi.len()
                        && self.codespaces.len() < MAX_CODESPACES
                    {
                        let mut cs = Codespace {
                            len: lo.len() as u8,
                            lo: [0; 4],
                            hi: [0; 4],
                        };
                        cs.lo[..lo.len()].copy_from_slice(&lo);
                        cs.hi[..hi.len()].copy_from_slice(&hi);
                        self.codespaces.push(cs);
                        self.entries += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn read_chars(&mut self, lexer: &mut Lexer, end: &[u8]) {
        while let Some(tok) = lexer.next() {
            let src = match tok {
                Tok::Hex(src) => src,
                Tok::Word(w) if w == end => return,
                _ => continue,
            };
            let target = match lexer.next() {
                Some(Tok::Hex(dst)) => Target::Text(utf16_units(&dst)),
                Some(Tok::Int(cid)) => Target::Cid(cid),
                Some(Tok::Word(w)) if w == end => return,
                _ => continue,
            };
            if let Some((code, len)) = code_of(&src)
                && !self.full()
            {
                self.chars.insert((len, code), target);
                self.entries += 1;
            }
        }
    }

    fn read_ranges(&mut self, lexer: &mut Lexer, end: &[u8]) {
        while let Some(tok) = lexer.next() {
            let lo = match tok {
                Tok::Hex(lo) => lo,
                Tok::Word(w) if w == end => return,
                _ => continue,
            };
            let hi = match lexer.next() {
                Some(Tok::Hex(hi)) => hi,
                Some(Tok::Word(w)) if w == end => return,
                _ => continue,
            };
            let target = match lexer.next() {
                Some(Tok::Hex(dst)) => Target::Text(utf16_units(&dst)),
                Some(Tok::Int(cid)) => Target::Cid(cid),
                Some(Tok::ArrayStart) => {
                    let mut list = Vec::new();
                    while let Some(Tok::Hex(dst)) = lexer.next() {
                        if list.len() < u16::MAX as usize {
                            list.push(utf16_units(&dst));
                        }
                    }
                    Target::List(list)
                }
                Some(Tok::Word(w)) if w == end => return,
                _ => continue,
            };
            let (Some((lo, len)), Some((hi, _))) = (code_of(&lo), code_of(&hi)) else {
                continue;
            };
            if lo <= hi && !self.full() {
                self.ranges.push(Range {
                    len,
                    lo,
                    hi,
                    target,
                });
                self.entries += 1;
            }
        }
    }

    fn finish(&mut self) {
        self.ranges.sort_by_key(|r| (r.len, r.lo));
        let mut reach = Vec::with_capacity(self.ranges.len());
        let mut prev: Option<(u8, u32)> = None;
        for r in &self.ranges {
            let best = match prev {
                Some((len, hi)) if len == r.len => hi.max(r.hi),
                _ => r.hi,
            };
            reach.push(best);
            prev = Some((r.len, best));
        }
        self.reach = reach;
    }
}

/// A source code as (value, byte length); codes longer than 4 bytes are refused.
fn code_of(bytes: &[u8]) -> Option<(u32, u8)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let value = bytes.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32);
    Some((value, bytes.len() as u8))
}

/// Destination bytes as UTF-16BE units; a lone odd byte counts as one unit.
fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .take(MAX_DST_UNITS)
        .map(|pair| match pair {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            [one] => *one as u16,
            _ => 0,
        })
        .collect()
}

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Int(u32),
    Word(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    Other,
}

/// Just enough of the PostScript syntax for CMap files.
struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Tok<'a>> {
        loop {
            let b = self.peek()?;
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let b = self.peek()?;
        self.pos += 1;
        Some(match b {
            b'<' if self.peek() == Some(b'<') => {
                self.pos += 1;
                Tok::Other
            }
            b'>' if self.peek() == Some(b'>') => {
                self.pos += 1;
                Tok::Other
            }
            b'<' => self.hex(),
            b'[' => Tok::ArrayStart,
            b']' => Tok::ArrayEnd,
            b'(' => {
                self.skip_literal();
                Tok::Other
            }
            b'/' => {
                self.word();
                Tok::Other
            }
            _ => {
                self.pos -= 1;
                let word = self.word();
                if word.is_empty() {
                    self.pos += 1;
                    return Some(Tok::Other);
                }
                match std::str::from_utf8(word).ok().and_then(|s| s.parse().ok()) {
                    Some(n) => Tok::Int(n),
                    None => Tok::Word(word),
                }
            }
        })
    }

    fn hex(&mut self) -> Tok<'a> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'>' {
                break;
            }
            let Some(v) = (c as char).to_digit(16) else {
                continue;
            };
            match high.take() {
                Some(h) => out.push((h << 4) | v as u8),
                None => high = Some(v as u8),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        Tok::Hex(out)
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_whitespace() || b"<>[]()/%{}".contains(&c) || c == 0 {
                break;
            }
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or_default()
    }

    fn skip_literal(&mut self) {
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cmap: &CMap, code: u32, len: u8) -> Option<String> {
        let mut s = String::new();
        cmap.write_text(code, len, &mut s).then_some(s)
    }

    #[test]
    fn bfchar_bfrange_and_arrays() {
        let cmap = CMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <0010> <7B2C> endbfchar
            2 beginbfrange <0020> <0022> <4E00> <0030> <0031> [<516C> <5E73>] endbfrange
            1 beginbfchar <0040> <D840DC0B> endbfchar
            endcmap CMapName currentdict /CMap defineresource pop end end",
        );
        assert_eq!(text(&cmap, 0x10, 2).as_deref(), Some("第"));
        assert_eq!(text(&cmap, 0x03, 2).as_deref(), Some(" "));
        assert_eq!(text(&cmap, 0x22, 2).as_deref(), Some("丂"));
        assert_eq!(text(&cmap, 0x31, 2).as_deref(), Some("平"));
        assert_eq!(text(&cmap, 0x40, 2).as_deref(), Some("𠀋"));
        assert_eq!(text(&cmap, 0x23, 2), None);
        // A one-byte code is a different code from the two-byte one.
        assert_eq!(text(&cmap, 0x10, 1), None);
        assert_eq!(cmap.code_len(&[0x00, 0x10]), Some(2));
    }

    #[test]
    fn one_byte_codes_and_codespace_lengths() {
        let cmap = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
              1 beginbfrange <41> <43> <0061> endbfrange",
        );
        assert_eq!(text(&cmap, 0x42, 1).as_deref(), Some("b"));
        assert_eq!(cmap.code_len(&[0x41, 0x42]), Some(1));
        assert_eq!(cmap.code_len(&[0xB0, 0xA1]), Some(2));
        assert_eq!(cmap.code_len(&[0xB0]), None);
        assert_eq!(cmap.min_code_len(), Some(1));
    }

    #[test]
    fn cid_ranges_and_huge_ranges_stay_cheap() {
        let cmap = CMap::parse(
            b"1 begincidrange <00000000> <FFFFFFFF> 0 endcidrange
              1 begincidchar <0000ABCD> 7 endcidchar",
        );
        assert_eq!(cmap.cid(0x1234_5678, 4), Some(0x1234_5678));
        assert_eq!(cmap.cid(0xABCD, 4), Some(7));
    }

    #[test]
    fn overlapping_ranges_find_the_covering_one() {
        let cmap = CMap::parse(
            b"3 beginbfrange <0000> <0FFF> <4E00> <0100> <0101> <0041> <0200> <0201> <0061> endbfrange",
        );
        assert_eq!(text(&cmap, 0x0101, 2).as_deref(), Some("B"));
        assert_eq!(text(&cmap, 0x0300, 2).map(|s| s.chars().count()), Some(1));
        assert_eq!(text(&cmap, 0x1000, 2), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        for data in [
            &b"beginbfrange <00> [ <41"[..],
            b"beginbfchar <",
            b"begincodespacerange <0000000000> <FF> endcodespacerange",
            b"((((\\",
            b"<<>>[]%",
        ] {
            let cmap = CMap::parse(data);
            let _ = text(&cmap, 0, 1);
        }
    }
}
