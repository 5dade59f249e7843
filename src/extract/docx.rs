//! TODO(helper): docx extraction.

use super::{Context, ExtractError, Extracted, Extractor};

pub struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn extract(&self, _bytes: &[u8], _ctx: &Context) -> Result<Extracted, ExtractError> {
        Err(ExtractError::Unsupported("docx".into()))
    }
}
