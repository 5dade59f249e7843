//! Word 97–2003 and WPS binary documents (OLE compound files).

use super::{Context, ExtractError, Extracted, Extractor, Format};

pub struct DocExtractor;

impl Extractor for DocExtractor {
    fn extract(&self, _bytes: &[u8], _ctx: &Context) -> Result<Extracted, ExtractError> {
        Err(Format::Doc.unsupported())
    }
}
