//! The review form (公平竞争审查表), filled from a Word template.
//!
//! The default template is embedded (`dictionaries/templates/review-form.docx`,
//! made by `make_review_form.py` beside it); a province passes its own with
//! `--template`. Placeholders `{{名称}}` are replaced in the main document,
//! headers and footers; see [`values`] for the names.

mod template;
pub mod values;

use std::collections::HashMap;

use crate::annotate::package;
use crate::extract::archive::Archive;
use crate::extract::{Context, ExtractError};
use crate::limits::{Deadline, Limits};

pub const DEFAULT_TEMPLATE: &[u8] = include_bytes!("../../dictionaries/templates/review-form.docx");

pub struct Filled {
    pub bytes: Vec<u8>,
    /// Placeholder names the values did not know (left empty).
    pub unknown: Vec<String>,
}

/// Fills every placeholder of `template`.
pub fn fill(
    template: &[u8],
    values: &HashMap<String, String>,
    limits: &Limits,
) -> Result<Filled, ExtractError> {
    let ctx = Context {
        limits,
        deadline: Deadline::after(limits.max_time),
    };
    let mut archive = Archive::open(template, &ctx)?;
    let mut replace = HashMap::new();
    let mut unknown = Vec::new();
    let lookup = |name: &str| values.get(name).cloned();
    let mut found_main = false;
    for name in archive.names() {
        if !is_text_part(&name) {
            continue;
        }
        found_main |= name == "word/document.xml";
        let Some(bytes) = archive.read(&name)? else {
            continue;
        };
        if let Some(new) = template::fill_part(&bytes, &name, &ctx, &lookup, &mut unknown)? {
            replace.insert(name, new);
        }
    }
    if !found_main {
        return Err(ExtractError::Corrupt(
            "模板缺少 word/document.xml，不是有效的 Word 文件".into(),
        ));
    }
    let bytes = package::rewrite(template, &ctx, &replace, &[])?;
    Ok(Filled { bytes, unknown })
}

/// The main document, headers and footers: where a form's text lives.
fn is_text_part(name: &str) -> bool {
    let Some(file) = name.strip_prefix("word/") else {
        return false;
    };
    !file.contains('/')
        && file.ends_with(".xml")
        && ["document", "header", "footer"]
            .iter()
            .any(|p| file.starts_with(p))
}
