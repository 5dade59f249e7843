//! The committed fixtures: a policy notice written by a word processor, its
//! .wps copy, and damaged versions (see tests/fixtures/doc/make_doc_fixtures.py).

use std::collections::HashMap;
use std::path::PathBuf;

use super::{blocks, extract, extract_unguarded};
use crate::extract::{BlockKind, ExtractError};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/doc")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (kind, text) lines of policy.expected.txt.
fn expected() -> Vec<(String, String)> {
    String::from_utf8(fixture("policy.expected.txt"))
        .expect("utf-8")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect()
}

fn kind_name(kind: BlockKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Share of the expected CJK characters found in `got`, counted as multisets.
fn cjk_recall(want: &str, got: &str) -> f64 {
    let mut have: HashMap<char, usize> = HashMap::new();
    for c in got.chars().filter(|&c| is_cjk(c)) {
        *have.entry(c).or_default() += 1;
    }
    let (mut total, mut found) = (0usize, 0usize);
    for c in want.chars().filter(|&c| is_cjk(c)) {
        total += 1;
        if let Some(n) = have.get_mut(&c).filter(|n| **n > 0) {
            *n -= 1;
            found += 1;
        }
    }
    found as f64 / total.max(1) as f64
}

fn check_policy(name: &str) {
    let ex = extract(&fixture(name)).expect("readable");
    let want = expected();
    let want_text: Vec<&str> = want.iter().map(|(_, t)| t.as_str()).collect();
    let recall = cjk_recall(&want_text.join("\n"), &ex.text);
    assert!(recall >= 0.99, "{name}: CJK recall {recall:.4}");

    // Every clause label, in order.
    let labels = regex::Regex::new(r"^(第[一二三四五六七八九十]+[章条]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
        .expect("regex");
    let mut from = 0;
    for line in &want_text {
        if let Some(m) = labels.find(line) {
            let needle = format!(
                "{}{}",
                m.as_str(),
                line[m.end()..].chars().take(4).collect::<String>()
            );
            let at = ex.text[from..]
                .find(&needle)
                .unwrap_or_else(|| panic!("{name}: label {needle} missing or out of order"));
            from += at + needle.len();
        }
    }

    let got: Vec<(String, String)> = blocks(&ex)
        .into_iter()
        .map(|(k, t)| (kind_name(k), t))
        .collect();
    assert_eq!(got, want, "{name}: blocks differ");
    assert!(!ex.text.contains("HYPERLINK") && !ex.text.contains("PAGE"));
    assert!(ex.text.contains("市人民政府门户网站"));
    assert_eq!(
        ex.hints.title.as_deref(),
        Some("关于印发《某市支持民营经济发展若干措施》的通知")
    );
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);

    let numbers: Vec<u32> = ex.blocks.iter().filter_map(|b| b.paragraph).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "paragraph numbers increase"
    );
    assert_eq!(numbers.first(), Some(&0));
}

#[test]
fn policy_doc_reads_completely() {
    check_policy("policy.doc");
}

#[test]
fn wps_file_in_word_binary_layout_reads_the_same() {
    check_policy("policy.wps");
}

#[test]
fn password_protected_document_is_encrypted() {
    assert!(matches!(
        extract(&fixture("encrypted.doc")),
        Err(ExtractError::Encrypted(_))
    ));
}

#[test]
fn damaged_files_are_corrupt() {
    for name in ["truncated.doc", "bad_fat.doc", "fib_outside.doc"] {
        match extract(&fixture(name)) {
            Err(ExtractError::Corrupt(msg)) => assert!(!msg.is_empty()),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn every_cut_of_the_file_fails_cleanly() {
    let doc = fixture("policy.doc");
    for len in (0..doc.len()).step_by(97) {
        // Ok when only unused sectors are cut; never a panic.
        let _ = extract_unguarded(&doc[..len]);
    }
}

#[test]
fn sniffed_and_routed_by_content() {
    let limits = crate::limits::Limits::default();
    for name in ["policy.doc", "policy.wps"] {
        let (format, result) = crate::extract::extract_bytes(&fixture(name), name, &limits);
        assert_eq!(format, crate::extract::Format::Doc);
        assert!(
            result
                .expect("readable")
                .text
                .contains("第五条 本措施自印发之日起施行。")
        );
    }
}
