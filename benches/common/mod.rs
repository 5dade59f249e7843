//! Helpers shared by the benchmarks (and the crash test, which builds its
//! documents the same way).

use std::path::{Path, PathBuf};

/// Paragraphs (lines over 8 characters) of the corpus sources, in file order:
/// the raw material of every generated benchmark corpus.
pub fn source_paragraphs(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(root.join("corpus/sources")) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let Ok(src) = std::fs::read_to_string(&p) else {
            continue;
        };
        let Ok(value) = src.parse::<toml::Table>() else {
            continue;
        };
        if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
            out.extend(
                text.lines()
                    .filter(|l| l.chars().count() > 8)
                    .map(str::to_string),
            );
        }
    }
    out
}
