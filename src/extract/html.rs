//! TODO(helper): html extraction.

use super::{Context, ExtractError, Extracted, Extractor};

pub struct HtmlExtractor;

impl Extractor for HtmlExtractor {
    fn extract(&self, _bytes: &[u8], _ctx: &Context) -> Result<Extracted, ExtractError> {
        Err(ExtractError::Unsupported("html".into()))
    }
}
