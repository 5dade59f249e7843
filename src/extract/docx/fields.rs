//! Word fields: instruction text is never shown, result text is. Page-number
//! results are tracked so a footer line holding only a page number can go.

/// Open complex (`w:fldChar`) and simple (`w:fldSimple`) fields. Complex
/// fields can span paragraphs (a table of contents), so this lives per part.
#[derive(Debug, Default)]
pub struct Fields {
    stack: Vec<Field>,
    /// Open fields still in their instruction part: their text is hidden.
    pub in_instruction: usize,
    /// Open page-number fields showing their result.
    pub in_page_result: usize,
}

#[derive(Debug)]
struct Field {
    /// Depth of a `w:fldSimple`; `None` for a complex field.
    simple_depth: Option<usize>,
    instruction: String,
    showing_result: bool,
    page: bool,
}

const MAX_INSTRUCTION: usize = 64;

impl Fields {
    pub fn begin(&mut self) {
        self.stack.push(Field {
            simple_depth: None,
            instruction: String::new(),
            showing_result: false,
            page: false,
        });
        self.in_instruction += 1;
    }

    pub fn separate(&mut self) {
        let Some(f) = self
            .stack
            .iter_mut()
            .rev()
            .find(|f| f.simple_depth.is_none())
        else {
            return;
        };
        if f.showing_result {
            return;
        }
        f.showing_result = true;
        f.page = is_page_instruction(&f.instruction);
        self.in_instruction = self.in_instruction.saturating_sub(1);
        if f.page {
            self.in_page_result += 1;
        }
    }

    pub fn end(&mut self) {
        if let Some(pos) = self.stack.iter().rposition(|f| f.simple_depth.is_none()) {
            let f = self.stack.remove(pos);
            self.forget(&f);
        }
    }

    pub fn simple(&mut self, depth: usize, instruction: &str) {
        let page = is_page_instruction(instruction);
        self.stack.push(Field {
            simple_depth: Some(depth),
            instruction: String::new(),
            showing_result: true,
            page,
        });
        if page {
            self.in_page_result += 1;
        }
    }

    /// Closes simple fields whose element ended.
    pub fn close_to(&mut self, depth: usize) {
        while let Some(f) = self.stack.last() {
            if f.simple_depth.is_none_or(|d| d <= depth) {
                break;
            }
            if let Some(f) = self.stack.pop() {
                self.forget(&f);
            }
        }
    }

    fn forget(&mut self, f: &Field) {
        if f.showing_result {
            if f.page {
                self.in_page_result = self.in_page_result.saturating_sub(1);
            }
        } else {
            self.in_instruction = self.in_instruction.saturating_sub(1);
        }
    }

    pub fn add_instruction(&mut self, text: &str) {
        if let Some(f) = self.stack.last_mut()
            && !f.showing_result
            && f.instruction.len() < MAX_INSTRUCTION
        {
            f.instruction.push_str(text);
        }
    }
}

/// PAGE, NUMPAGES, SECTIONPAGES (any case, switches ignored).
fn is_page_instruction(instruction: &str) -> bool {
    let word = instruction.split_whitespace().next().unwrap_or("");
    ["PAGE", "NUMPAGES", "SECTIONPAGES"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fields_hide_instructions_and_track_page_numbers() {
        let mut f = Fields::default();
        assert!(is_page_instruction(" page \\* MERGEFORMAT"));
        assert!(!is_page_instruction("HYPERLINK \"x\""));
        f.begin();
        f.add_instruction("IF ");
        f.begin();
        f.add_instruction("PAGE");
        f.separate();
        assert_eq!((f.in_instruction, f.in_page_result), (1, 1));
        f.end();
        f.separate();
        assert_eq!((f.in_instruction, f.in_page_result), (0, 0));
        f.simple(3, "NUMPAGES");
        assert_eq!(f.in_page_result, 1);
        f.close_to(2);
        f.end();
        // Stray ends and separates are harmless.
        f.end();
        f.separate();
        assert_eq!((f.in_instruction, f.in_page_result), (0, 0));
    }
}
