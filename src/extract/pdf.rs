//! TODO(helper): pdf extraction.

use super::{Context, ExtractError, Extracted, Extractor};

pub struct PdfExtractor;

impl Extractor for PdfExtractor {
    fn extract(&self, _bytes: &[u8], _ctx: &Context) -> Result<Extracted, ExtractError> {
        Err(ExtractError::Unsupported("pdf".into()))
    }
}
