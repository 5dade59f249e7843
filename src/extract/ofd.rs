//! OFD (GB/T 33190) fixed-layout documents.

use super::{Context, ExtractError, Extracted, Extractor, Format};

pub struct OfdExtractor;

impl Extractor for OfdExtractor {
    fn extract(&self, _bytes: &[u8], _ctx: &Context) -> Result<Extracted, ExtractError> {
        Err(Format::Ofd.unsupported())
    }
}
