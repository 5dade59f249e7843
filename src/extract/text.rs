//! Assembles extracted pieces into one text with block offsets.

use super::{Block, BlockKind, CellPos, Extracted};

/// Collects blocks one by one and keeps Unicode-scalar offsets as it goes,
/// so no extractor has to count characters itself.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    chars: usize,
    blocks: Vec<Block>,
}

impl TextBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one block of text as its own line. Empty or blank blocks are
    /// dropped; internal line breaks are folded into spaces so one block stays
    /// one line.
    pub fn push(&mut self, kind: BlockKind, text: &str, page: Option<u32>, paragraph: Option<u32>) {
        self.push_with_ocr(kind, text, page, paragraph, None);
    }

    /// Like [`TextBuilder::push`], for text recognised from an image with the
    /// given OCR confidence (0–1).
    pub fn push_with_ocr(
        &mut self,
        kind: BlockKind,
        text: &str,
        page: Option<u32>,
        paragraph: Option<u32>,
        ocr: Option<f32>,
    ) {
        self.push_block(kind, text, page, paragraph, ocr, None);
    }

    /// Like [`TextBuilder::push`], with the block's position in its table
    /// (`None` outside tables).
    pub fn push_cell(
        &mut self,
        kind: BlockKind,
        text: &str,
        page: Option<u32>,
        paragraph: Option<u32>,
        cell: Option<CellPos>,
    ) {
        self.push_block(kind, text, page, paragraph, None, cell);
    }

    fn push_block(
        &mut self,
        kind: BlockKind,
        text: &str,
        page: Option<u32>,
        paragraph: Option<u32>,
        ocr: Option<f32>,
        cell: Option<CellPos>,
    ) {
        let cleaned = clean_block(text);
        if cleaned.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
            self.chars += 1;
        }
        let start = self.chars;
        let n = cleaned.chars().count();
        self.text.push_str(&cleaned);
        self.chars += n;
        self.blocks.push(Block {
            kind,
            start,
            end: self.chars,
            page,
            paragraph,
            ocr,
            cell,
        });
    }

    pub fn len_bytes(&self) -> usize {
        self.text.len()
    }

    pub fn finish(self) -> Extracted {
        Extracted {
            text: self.text,
            blocks: self.blocks,
            ..Extracted::default()
        }
    }
}

/// Trims a block, folds line breaks and tabs into single spaces and drops
/// control characters that never belong in document text.
pub fn clean_block(text: &str) -> String {
    let text = text.trim_matches(is_trim);
    // Most blocks hold no line break, control character or BOM: copy them
    // whole. (C1 controls are the only ones whose UTF-8 starts with 0xC2.)
    if text.bytes().all(|b| b >= 0x20 && b != 0x7F && b != 0xC2) && !text.contains('\u{FEFF}') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' | '\u{000B}' | '\u{000C}' => pending_space = true,
            c if c.is_control() || c == '\u{FEFF}' => {}
            c => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

fn is_trim(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_unicode_scalars() {
        let mut b = TextBuilder::new();
        b.push(
            BlockKind::Heading,
            "  关于印发《若干措施》的通知 ",
            None,
            Some(0),
        );
        b.push(BlockKind::Paragraph, "", None, Some(1));
        b.push(BlockKind::Paragraph, "第一条\r\n为了", None, Some(2));
        let ex = b.finish();
        assert_eq!(ex.text, "关于印发《若干措施》的通知\n第一条 为了");
        assert_eq!(ex.blocks.len(), 2);
        let chars: Vec<char> = ex.text.chars().collect();
        let second = &ex.blocks[1];
        let s: String = chars[second.start..second.end].iter().collect();
        assert_eq!(s, "第一条 为了");
    }
}
