//! The commands and their contracts: extract, scan, check, exit codes.

use crate::common::*;

#[test]
fn extract_prints_the_text_offsets_refer_to() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notice.txt"), NOTICE).unwrap();
    let plain = run(&["extract", "notice.txt"], dir.path());
    assert_eq!(plain.code, 0);
    assert_eq!(plain.stdout.trim_end(), NOTICE);

    let json = run(&["extract", "notice.txt", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["text"].as_str().unwrap(), NOTICE);
    assert_eq!(v["meta"]["doc_number"], "青政发〔2024〕12号");
    assert_eq!(v["meta"]["date"], "2024-03-18");
    let labels: Vec<&str> = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["一、", "（一）", "（二）", "二、"]);
    assert_eq!(v["clauses"][2]["citation"], "第一部分第（二）项");
    // Every sentence span slices back into the printed text.
    let chars: Vec<char> = NOTICE.chars().collect();
    for s in v["sentences"].as_array().unwrap() {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert!(a < b && b <= chars.len());
    }
    let sentence = v["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["block"] == 6)
        .unwrap();
    let (a, b) = (
        sentence["start"].as_u64().unwrap() as usize,
        sentence["end"].as_u64().unwrap() as usize,
    );
    let text: String = chars[a..b].iter().collect();
    assert_eq!(
        text,
        "（一）全面落实市场准入负面清单制度，不得设置不合理的准入条件。"
    );
}

#[test]
fn scan_jsonl_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/a.txt"), NOTICE).unwrap();
    std::fs::write(dir.path().join("docs/~$a.docx"), b"lock").unwrap();
    std::fs::write(dir.path().join("docs/.hidden.txt"), NOTICE).unwrap();
    std::fs::write(dir.path().join("docs/notes.toml"), b"x = 1").unwrap();
    let out = run(
        &["scan", "docs", "--format", "jsonl", "--jobs", "2"],
        dir.path(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rs = reviews(&out.stdout);
    assert_eq!(
        rs.len(),
        1,
        "lock, hidden and non-document files are skipped"
    );
    let r = &rs[0];
    for key in [
        "path", "format", "sha256", "chars", "meta", "error", "warnings", "findings",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    for key in ["title", "doc_number", "issuer", "date"] {
        assert!(r["meta"].get(key).is_some(), "missing meta.{key}");
    }
    assert_eq!(r["format"], "txt");
    assert_eq!(r["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        r["chars"].as_u64().unwrap() as usize,
        NOTICE.chars().count()
    );
    assert!(r["error"].is_null());
    assert_eq!(r["meta"]["issuer"], "青禾市人民政府");
}

#[test]
fn unreadable_files_make_exit_code_two_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), NOTICE).unwrap();
    std::fs::write(
        dir.path().join("b.docx"),
        b"not a zip at all \x00\x01\x02\x03\x04\x05\x06",
    )
    .unwrap();
    let out = run(&["scan", ".", "--format", "jsonl"], dir.path());
    assert_eq!(out.code, 2);
    let rs = reviews(&out.stdout);
    assert_eq!(rs.len(), 2);
    assert!(review_named(&rs, "a.txt")["error"].is_null());
    assert!(!review_named(&rs, "b.docx")["error"]["kind"].is_null());

    let text = run(&["scan", "."], dir.path());
    assert!(text.stdout.contains("1 个无法读取"), "{}", text.stdout);
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(&["scan"], dir.path()).code, 2);
    assert_eq!(run(&["scan", "--format", "nope", "."], dir.path()).code, 2);
    assert_eq!(run(&["frobnicate"], dir.path()).code, 2);
    assert_eq!(run(&["scan", "missing-folder"], dir.path()).code, 2);
}

#[test]
fn check_shows_the_drafters_view() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft.txt"), NOTICE).unwrap();
    let out = run(&["check", "draft.txt"], dir.path());
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("青政发〔2024〕12号"));
    assert!(out.stdout.contains("结构：4 个条款"), "{}", out.stdout);
}
