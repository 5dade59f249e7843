//! Lines of the extracted text with both byte and Unicode-scalar offsets.
//!
//! The extractor joins blocks with `\n`, so line `i` is block `i`. Working per
//! line keeps memory flat: no `Vec<char>` of the whole text is ever built.

#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub index: usize,
    pub text: &'a str,
    pub byte_start: usize,
    pub char_start: usize,
    pub char_len: usize,
}

impl Line<'_> {
    pub fn char_end(&self) -> usize {
        self.char_start + self.char_len
    }
}

pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let (mut byte, mut chr) = (0usize, 0usize);
    for (index, line) in text.split('\n').enumerate() {
        let char_len = line.chars().count();
        out.push(Line {
            index,
            text: line,
            byte_start: byte,
            char_start: chr,
            char_len,
        });
        byte += line.len() + 1;
        chr += char_len + 1;
    }
    out
}

/// Characters to ignore when comparing line content: all whitespace, including
/// the full-width space used for indentation.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
