//! Small, total accessors over lopdf objects: every lookup returns `Option`
//! instead of failing, and stream decoding is charged to one budget.

use lopdf::{Dictionary, Document, Object, Stream};

use crate::extract::ExtractError;

/// Follows references (a bounded number of times) to a direct object.
pub fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

pub fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, dict.get(key).ok()?)
}

/// A dictionary, or the dictionary of a stream.
pub fn get_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    as_dict(get(doc, dict, key)?)
}

pub fn as_dict(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, dict, key)?.as_name().ok()
}

pub fn get_num(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    num(get(doc, dict, key)?)
}

pub fn get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
    get(doc, dict, key)?.as_array().ok().map(Vec::as_slice)
}

/// A finite number (integer or real).
pub fn num(obj: &Object) -> Option<f32> {
    obj.as_float().ok().filter(|v| v.is_finite())
}

/// Numbers of an array, resolving indirect elements.
pub fn nums(doc: &Document, items: &[Object]) -> Vec<f32> {
    items
        .iter()
        .filter_map(|o| resolve(doc, o).and_then(num))
        .collect()
}

/// Caps the bytes decoded from streams over the whole document, so a small
/// file cannot inflate into gigabytes of fonts or content.
pub struct Budget {
    left: usize,
}

impl Budget {
    pub fn new(bytes: u64) -> Self {
        Budget {
            left: usize::try_from(bytes).unwrap_or(usize::MAX),
        }
    }

    /// Decoded stream data; `Ok(None)` when the stream cannot be decoded.
    pub fn decode(&mut self, stream: &Stream) -> Result<Option<Vec<u8>>, ExtractError> {
        match stream.get_plain_content_with_limit(self.left) {
            Ok(data) => {
                self.charge(data.len())?;
                Ok(Some(data))
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(too_large()),
            Err(_) => Ok(None),
        }
    }

    /// The page's content streams, concatenated, and whether any of them
    /// is missing or cannot be decoded.
    pub fn page_content(
        &mut self,
        doc: &Document,
        page: lopdf::ObjectId,
    ) -> Result<(Vec<u8>, bool), ExtractError> {
        let mut data = Vec::new();
        let mut damaged = doc.get_dictionary(page).is_err();
        for id in doc.get_page_contents(page) {
            let stream = doc.get_object(id).and_then(Object::as_stream);
            match stream.map(|s| self.decode(s)) {
                Ok(Ok(Some(part))) => {
                    data.extend_from_slice(&part);
                    // Streams split a page anywhere but between tokens.
                    data.push(b'\n');
                }
                Ok(Err(too_large)) => return Err(too_large),
                Ok(Ok(None)) | Err(_) => damaged = true,
            }
        }
        Ok((data, damaged))
    }

    fn charge(&mut self, n: usize) -> Result<(), ExtractError> {
        self.left = self.left.checked_sub(n).ok_or_else(too_large)?;
        Ok(())
    }
}

fn too_large() -> ExtractError {
    ExtractError::TooLarge("PDF 解压后的数据量超过上限".into())
}
