//! Text recognition (OCR) for scanned pages and image files.

use super::{Context, ExtractError, Extracted, Extractor, Format};

pub struct ImageExtractor;

impl Extractor for ImageExtractor {
    fn extract(&self, _bytes: &[u8], _ctx: &Context) -> Result<Extracted, ExtractError> {
        Err(Format::Image.unsupported())
    }
}
