//! Raw image samples → a Netpbm file (PBM, PGM, PPM), the simplest format
//! tesseract reads: a short text header followed by the samples as they are.

/// How the samples are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Samples {
    /// 1 bit per pixel, rows padded to whole bytes, 1 = white (PDF
    /// DeviceGray convention).
    Bilevel,
    /// 8-bit gray.
    Gray,
    /// 8-bit RGB.
    Rgb,
}

impl Samples {
    /// Bytes one row of `width` pixels takes.
    pub fn row_bytes(self, width: usize) -> Option<usize> {
        match self {
            Samples::Bilevel => Some(width.div_ceil(8)),
            Samples::Gray => Some(width),
            Samples::Rgb => width.checked_mul(3),
        }
    }
}

/// The Netpbm file for `width` × `height` samples, or `None` when `data`
/// is shorter than the image needs. Extra bytes are ignored.
pub fn encode(samples: Samples, width: usize, height: usize, data: &[u8]) -> Option<Vec<u8>> {
    let len = samples.row_bytes(width)?.checked_mul(height)?;
    let pixels = data.get(..len)?;
    if width == 0 || height == 0 {
        return None;
    }
    let magic = match samples {
        Samples::Bilevel => "P4",
        Samples::Gray => "P5",
        Samples::Rgb => "P6",
    };
    let mut out = format!("{magic}\n{width} {height}\n").into_bytes();
    if samples != Samples::Bilevel {
        out.extend_from_slice(b"255\n");
    }
    out.reserve(len);
    match samples {
        // PBM has 1 = black, the opposite of PDF gray.
        Samples::Bilevel => out.extend(pixels.iter().map(|b| !b)),
        _ => out.extend_from_slice(pixels),
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_samples() {
        assert_eq!(
            encode(Samples::Gray, 2, 1, &[0, 255, 9]).as_deref(),
            Some(&b"P5\n2 1\n255\n\x00\xff"[..])
        );
        assert_eq!(
            encode(Samples::Bilevel, 3, 2, &[0b1110_0000, 0b0100_0000]).as_deref(),
            Some(&b"P4\n3 2\n\x1f\xbf"[..])
        );
        assert_eq!(
            encode(Samples::Rgb, 1, 1, &[1, 2, 3]).map(|v| v.len()),
            Some(14)
        );
        assert_eq!(encode(Samples::Rgb, 2, 2, &[0; 11]), None);
        assert_eq!(encode(Samples::Gray, 0, 5, &[]), None);
        assert_eq!(encode(Samples::Gray, usize::MAX, 2, &[]), None);
    }
}
