//! Bounds-checked little-endian reads: every offset in a .doc comes from the
//! file itself, so every read may fall outside its buffer.

pub fn u8_at(b: &[u8], off: usize) -> Option<u8> {
    b.get(off).copied()
}

pub fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    u32_at(b, off).map(|v| v as i32)
}

/// `len` bytes at `off`, or `None` when they do not all exist.
pub fn slice(b: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    b.get(off..off.checked_add(len)?)
}

/// The `(fc, lcb)` span of a table-stream structure, if it lies inside `b`.
pub fn span(b: &[u8], fc: u32, lcb: u32) -> Option<&[u8]> {
    slice(b, fc as usize, lcb as usize)
}

/// UTF-16LE code units to a string, unpaired surrogates replaced.
pub fn utf16(units: impl IntoIterator<Item = u16>) -> String {
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// `count` UTF-16LE code units starting at `off`, when they all exist.
pub fn utf16_units(b: &[u8], off: usize, count: usize) -> Option<Vec<u16>> {
    let raw = slice(b, off, count.checked_mul(2)?)?;
    Some(
        raw.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect(),
    )
}
