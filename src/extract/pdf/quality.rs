//! Is a page's text layer usable, or does the page need OCR?

use super::chars::is_suspect;
use super::content::PageText;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Text that can be read.
    Usable,
    /// Nothing at all on the page: no text and no image.
    Blank,
    /// Images without text, or text that decodes to nothing sensible.
    NeedsOcr,
}

/// Share of undecodable glyphs above which the text layer is rejected.
const MAX_BAD_SHARE: f32 = 0.3;
/// A page mostly covered by an image with fewer readable characters than
/// this is a scan with a stamp or a header on it.
const MIN_CHARS_ON_SCAN: usize = 20;

pub fn assess(page: &PageText) -> Verdict {
    let mut good = 0usize;
    let mut bad = 0usize;
    for g in &page.glyphs {
        let text = page.glyph_text(g);
        if !g.mapped || text.chars().any(is_suspect) {
            bad += 1;
        } else if !text.trim().is_empty() {
            good += 1;
        }
    }
    if good == 0 && bad == 0 {
        return if page.has_images {
            Verdict::NeedsOcr
        } else {
            Verdict::Blank
        };
    }
    if bad as f32 > MAX_BAD_SHARE * (good + bad) as f32 {
        return Verdict::NeedsOcr;
    }
    if page.image_cover > 0.5 && good < MIN_CHARS_ON_SCAN {
        return Verdict::NeedsOcr;
    }
    Verdict::Usable
}

#[cfg(test)]
mod tests {
    use super::super::content::Glyph;
    use super::*;

    fn page_with(texts: &[(&str, bool)]) -> PageText {
        let mut p = PageText::default();
        for (i, &(t, mapped)) in texts.iter().enumerate() {
            let start = p.text.len() as u32;
            p.text.push_str(t);
            p.glyphs.push(Glyph {
                x: i as f32 * 10.0,
                y: 700.0,
                dir: (1.0, 0.0),
                advance: 10.0,
                size: 10.0,
                start,
                end: p.text.len() as u32,
                mapped,
            });
        }
        p
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            assess(&page_with(&[("公", true), ("平", true)])),
            Verdict::Usable
        );
        assert_eq!(
            assess(&page_with(&[("公", true), ("", false), ("", false)])),
            Verdict::NeedsOcr
        );
        assert_eq!(
            assess(&page_with(&[
                ("\u{E012}", true),
                ("\u{FFFD}", true),
                ("a", true)
            ])),
            Verdict::NeedsOcr
        );
        assert_eq!(assess(&page_with(&[])), Verdict::Blank);
        let mut scan = page_with(&[("页", true)]);
        scan.has_images = true;
        scan.image_cover = 0.9;
        assert_eq!(assess(&scan), Verdict::NeedsOcr);
    }
}
