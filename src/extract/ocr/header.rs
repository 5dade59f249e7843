//! Image dimensions read from the file header, so a tiny file that claims a
//! gigapixel canvas is refused before anything decodes it.

use crate::extract::ExtractError;

/// Largest image accepted for recognition: A4 at about 1000 dpi.
pub const MAX_PIXELS: u64 = 100_000_000;
/// Most pages (TIFF directories) accepted in one image file.
const MAX_PAGES: usize = 500;

/// Width and height of every page of the image (one for all formats but TIFF).
pub fn dimensions(bytes: &[u8]) -> Option<Vec<(u32, u32)>> {
    let dims = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        vec![png(bytes)?]
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        vec![jpeg(bytes)?]
    } else if bytes.starts_with(b"GIF8") {
        vec![(u16_le(bytes, 6)?.into(), u16_le(bytes, 8)?.into())]
    } else if bytes.starts_with(b"BM") {
        vec![bmp(bytes)?]
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        tiff(bytes)?
    } else {
        return None;
    };
    dims.iter().all(|&(w, h)| w > 0 && h > 0).then_some(dims)
}

/// Refuses images whose header cannot be read or whose pages are too large.
pub fn check(bytes: &[u8]) -> Result<(), ExtractError> {
    let dims = dimensions(bytes)
        .ok_or_else(|| ExtractError::Corrupt("无法读取图片的尺寸，文件可能已损坏".into()))?;
    let mut total = 0u64;
    for (w, h) in dims {
        let pixels = u64::from(w) * u64::from(h);
        if pixels > MAX_PIXELS {
            return Err(ExtractError::TooLarge(format!(
                "图片尺寸 {w}×{h} 像素，超过 {} 万像素的上限",
                MAX_PIXELS / 10_000
            )));
        }
        total += pixels;
    }
    if total > 10 * MAX_PIXELS {
        return Err(ExtractError::TooLarge("图片的总像素数超过上限".into()));
    }
    Ok(())
}

fn png(b: &[u8]) -> Option<(u32, u32)> {
    (b.get(12..16)? == b"IHDR").then_some(())?;
    Some((u32_be(b, 16)?, u32_be(b, 20)?))
}

/// Walks the marker segments up to the first start-of-frame.
fn jpeg(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2usize;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        match marker {
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(u16_be(b, i)?);
        if len < 2 {
            return None;
        }
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            // Precision byte, then height and width.
            let height = u16_be(b, i + 3)?;
            let width = u16_be(b, i + 5)?;
            return Some((width.into(), height.into()));
        }
        i = i.checked_add(len)?;
    }
}

fn bmp(b: &[u8]) -> Option<(u32, u32)> {
    let header_size = u32_le(b, 14)?;
    if header_size == 12 {
        return Some((u16_le(b, 18)?.into(), u16_le(b, 20)?.into()));
    }
    let width = i32::try_from(u32_le(b, 18)?).ok()?;
    // A negative height means the rows are stored top-down.
    let height = (u32_le(b, 22)? as i32).unsigned_abs();
    Some((u32::try_from(width).ok()?, height))
}

/// Every image file directory of a classic TIFF (BigTIFF is not read).
fn tiff(b: &[u8]) -> Option<Vec<(u32, u32)>> {
    let little = b.starts_with(b"II");
    let u16_at = |at: usize| if little { u16_le(b, at) } else { u16_be(b, at) };
    let u32_at = |at: usize| if little { u32_le(b, at) } else { u32_be(b, at) };
    let mut pages = Vec::new();
    let mut seen = Vec::new();
    let mut ifd = u32_at(4)? as usize;
    while ifd != 0 {
        if seen.contains(&ifd) || pages.len() >= MAX_PAGES {
            return None;
        }
        seen.push(ifd);
        let count = usize::from(u16_at(ifd)?);
        let (mut width, mut height) = (None, None);
        for k in 0..count {
            let entry = ifd + 2 + 12 * k;
            let value = match u16_at(entry + 2)? {
                3 => u32::from(u16_at(entry + 8)?),
                4 => u32_at(entry + 8)?,
                _ => continue,
            };
            match u16_at(entry)? {
                256 => width = Some(value),
                257 => height = Some(value),
                _ => {}
            }
        }
        pages.push((width?, height?));
        ifd = u32_at(ifd + 2 + 12 * count)? as usize;
    }
    (!pages.is_empty()).then_some(pages)
}

fn u16_be(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn png_sizes() {
        assert_eq!(
            dimensions(&png_header(1240, 1754)),
            Some(vec![(1240, 1754)])
        );
        assert_eq!(dimensions(&png_header(0, 10)), None);
        assert_eq!(dimensions(&png_header(10, 10)[..20]), None);
        assert_eq!(
            check(&png_header(100_000, 100_000)).unwrap_err().kind(),
            "too_large"
        );
        assert!(check(&png_header(4960, 7016)).is_ok());
    }

    #[test]
    fn jpeg_skips_segments_to_the_frame_header() {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, b'J', b'F'];
        // A stray fill byte before the next marker is legal.
        b.extend_from_slice(&[0xFF, 0xFF, 0xC2, 0x00, 0x0B, 8]);
        b.extend_from_slice(&1754u16.to_be_bytes());
        b.extend_from_slice(&1240u16.to_be_bytes());
        assert_eq!(dimensions(&b), Some(vec![(1240, 1754)]));
        // The huffman table marker C4 is not a frame.
        let dht = [0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x07, 0, 0x40, 0, 0x40, 0];
        assert_eq!(dimensions(&dht), None);
        // A segment length pointing past the end.
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), None);
    }

    #[test]
    fn bmp_sizes() {
        let mut b = b"BM".to_vec();
        b.resize(14, 0);
        b.extend_from_slice(&40u32.to_le_bytes());
        b.extend_from_slice(&800i32.to_le_bytes());
        b.extend_from_slice(&(-600i32).to_le_bytes());
        assert_eq!(dimensions(&b), Some(vec![(800, 600)]));
        let mut core = b"BM".to_vec();
        core.resize(14, 0);
        core.extend_from_slice(&12u32.to_le_bytes());
        core.extend_from_slice(&[0x20, 0x03, 0x58, 0x02]);
        assert_eq!(dimensions(&core), Some(vec![(800, 600)]));
        let mut negative = b[..18].to_vec();
        negative.extend_from_slice(&(-5i32).to_le_bytes());
        negative.extend_from_slice(&5i32.to_le_bytes());
        assert_eq!(dimensions(&negative), None);
    }

    #[test]
    fn gif_sizes() {
        let b = b"GIF89a\x20\x03\x58\x02";
        assert_eq!(dimensions(b), Some(vec![(800, 600)]));
        assert_eq!(dimensions(b"GIF89a\x20"), None);
    }

    fn tiff_page(out: &mut Vec<u8>, w: u32, h: u16, next: u32) {
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&256u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
        out.extend_from_slice(&257u16.to_le_bytes());
        out.extend_from_slice(&3u16.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&next.to_le_bytes());
    }

    #[test]
    fn tiff_reads_every_page_and_refuses_loops() {
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        tiff_page(&mut b, 1240, 1754, 38);
        tiff_page(&mut b, 2480, 3508, 0);
        assert_eq!(dimensions(&b), Some(vec![(1240, 1754), (2480, 3508)]));
        let mut looped = b"II*\0".to_vec();
        looped.extend_from_slice(&8u32.to_le_bytes());
        tiff_page(&mut looped, 10, 10, 8);
        assert_eq!(dimensions(&looped), None);
        let mut big = b"MM\0*".to_vec();
        big.extend_from_slice(&8u32.to_be_bytes());
        big.extend_from_slice(&1u16.to_be_bytes());
        big.extend_from_slice(&256u16.to_be_bytes());
        big.extend_from_slice(&4u16.to_be_bytes());
        big.extend_from_slice(&1u32.to_be_bytes());
        big.extend_from_slice(&100_000u32.to_be_bytes());
        big.extend_from_slice(&0u32.to_be_bytes());
        // No height tag: unreadable.
        assert_eq!(dimensions(&big), None);
    }
}
