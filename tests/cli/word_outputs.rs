//! `annotate`, `check --annotate` and `form`: the Word files are opened with
//! an independent zip/XML reader (and LibreOffice, when installed) and
//! checked the way a reviewer would look at them.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

use super::common::{reviews, run};

fn corpus_doc(prefix: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/docs");
    std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no corpus document {prefix}"))
}

fn parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| d.as_slice())
        .unwrap_or_else(|| panic!("{name} missing"))
}

fn assert_well_formed(parts: &[(String, Vec<u8>)]) {
    for (name, data) in parts {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut reader = Reader::from_reader(data.as_slice());
        reader.config_mut().check_end_names = true;
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name} is unbalanced");
    }
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr_id(e: &quick_xml::events::BytesStart) -> String {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.into_inner().as_bytes()) == b"id")
        .map(|a| a.value.to_string())
        .unwrap_or_default()
}

/// Visible text between each comment's range markers, by comment id.
fn anchored_texts(document: &[u8]) -> HashMap<String, String> {
    let mut reader = Reader::from_reader(document);
    let mut open: Vec<String> = Vec::new();
    let mut out: HashMap<String, String> = HashMap::new();
    let mut in_text = false;
    let mut hidden = 0;
    loop {
        let ev = reader.read_event().unwrap();
        let add = |s: &str, open: &[String], out: &mut HashMap<String, String>| {
            for i in open {
                out.entry(i.clone()).or_default().push_str(s);
            }
        };
        match ev {
            Event::Start(e) => match local(e.name().into_inner().as_bytes()) {
                b"t" => in_text = true,
                b"Fallback" | b"del" | b"instrText" => hidden += 1,
                _ => {}
            },
            Event::End(e) => match local(e.name().into_inner().as_bytes()) {
                b"t" => in_text = false,
                b"Fallback" | b"del" | b"instrText" => hidden -= 1,
                _ => {}
            },
            Event::Empty(e) => match local(e.name().into_inner().as_bytes()) {
                b"commentRangeStart" => {
                    let id = attr_id(&e);
                    out.entry(id.clone()).or_default();
                    open.push(id);
                }
                b"commentRangeEnd" => {
                    let id = attr_id(&e);
                    open.retain(|o| *o != id);
                }
                b"tab" if hidden == 0 => add(" ", &open, &mut out),
                _ => {}
            },
            Event::Text(t) if in_text && hidden == 0 => add(&t.xml10_content(), &open, &mut out),
            Event::GeneralRef(r) if in_text && hidden == 0 => {
                let c = match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    _ => "'",
                };
                add(c, &open, &mut out)
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Texts of every table row, cell by cell.
fn table_rows(document: &[u8]) -> Vec<Vec<String>> {
    let mut reader = Reader::from_reader(document);
    let mut rows = Vec::new();
    let mut row: Option<Vec<String>> = None;
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => match local(e.name().into_inner().as_bytes()) {
                b"tr" => row = Some(Vec::new()),
                b"tc" => {
                    if let Some(r) = row.as_mut() {
                        r.push(String::new());
                    }
                }
                b"t" => in_text = true,
                _ => {}
            },
            Event::End(e) => match local(e.name().into_inner().as_bytes()) {
                b"tr" => rows.extend(row.take()),
                b"t" => in_text = false,
                _ => {}
            },
            Event::Empty(e) if local(e.name().into_inner().as_bytes()) == b"br" => {
                if let Some(cell) = row.as_mut().and_then(|r| r.last_mut()) {
                    cell.push('\n');
                }
            }
            Event::Text(t) if in_text => {
                if let Some(cell) = row.as_mut().and_then(|r| r.last_mut()) {
                    cell.push_str(&t.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    rows
}

/// Converts to PDF with LibreOffice; skipped (with the reason printed) only
/// when it is not installed and this is not CI.
fn converts_with_soffice(docx: &Path) {
    let available = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var("CI").is_err(),
            "LibreOffice (soffice) is required in CI"
        );
        eprintln!(
            "skipped: soffice is not installed, cannot check that LibreOffice opens {docx:?}"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let profile = format!("file://{}/profile", dir.path().display());
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(docx)
        .output()
        .unwrap();
    let pdf = dir
        .path()
        .join(docx.file_stem().unwrap())
        .with_extension("pdf");
    let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    assert!(
        out.status.success() && size > 1000,
        "LibreOffice could not convert {docx:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn findings(file: &Path) -> Vec<Value> {
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run(&["check", file.to_str().unwrap(), "--format", "jsonl"], cwd);
    let all = reviews(&r.stdout);
    all[0]["findings"].as_array().unwrap().clone()
}

/// The sentence a comment encloses: the finding's text, less a restored list
/// label (those exist only in numbering definitions, not in the runs).
fn assert_anchored_on(text: &str, anchored: &str) {
    let label: String = text.strip_suffix(anchored).unwrap_or(text).to_string();
    assert!(
        !anchored.is_empty() && text.ends_with(anchored) && label.chars().count() <= 6,
        "comment encloses {anchored:?}, finding says {text:?}"
    );
    if !label.is_empty() {
        assert!(
            label.starts_with('（')
                || label.starts_with(|c: char| c.is_ascii_digit())
                || label.ends_with('、'),
            "{label:?} is not a list label"
        );
    }
}

fn annotated_copy_is_faithful(source: &Path, out: &Path) {
    let expected = findings(source);
    assert!(!expected.is_empty(), "{source:?} has findings");
    let before = parts(source);
    let after = parts(out);
    assert_well_formed(&after);
    let changed = [
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "[Content_Types].xml",
    ];
    for (name, data) in &before {
        if !changed.contains(&name.as_str()) {
            assert_eq!(part(&after, name), data.as_slice(), "{name} changed");
        }
    }
    let comments = String::from_utf8(part(&after, "word/comments.xml").to_vec()).unwrap();
    assert_eq!(
        comments.matches("<w:comment ").count(),
        expected.len(),
        "one comment per finding"
    );
    assert!(comments.contains(r#"w:author="fairscan""#));
    assert!(comments.contains(r#"w:initials="FS""#));
    let anchored = anchored_texts(part(&after, "word/document.xml"));
    assert_eq!(anchored.len(), expected.len());
    let mut ids: Vec<&String> = anchored.keys().collect();
    ids.sort_by_key(|i| i.parse::<u32>().unwrap_or(0));
    for (id, finding) in ids.into_iter().zip(&expected) {
        assert_anchored_on(finding["text"].as_str().unwrap(), &anchored[id]);
        let article = finding["article"].as_u64().unwrap();
        assert!(comments.contains(&format!(
            "《公平竞争审查条例》第{}条",
            ["八", "九", "十", "十一"][article as usize - 8]
        )));
    }
}

#[test]
fn annotate_comments_every_finding_of_a_corpus_docx_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    for prefix in ["c01", "c02"] {
        let source = corpus_doc(prefix);
        let out = dir.path().join(format!("{prefix}-批注.docx"));
        let r = run(
            &[
                "annotate",
                source.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            cwd,
        );
        assert_eq!(r.code, 1, "findings make exit code 1: {}", r.stderr);
        assert!(r.stdout.contains("原文件副本"), "{}", r.stdout);
        annotated_copy_is_faithful(&source, &out);
        if prefix == "c01" {
            converts_with_soffice(&out);
        }
    }
}

#[test]
fn check_writes_the_annotated_copy_next_to_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = corpus_doc("c02");
    let out = dir.path().join("out.docx");
    let r = run(
        &[
            "check",
            source.to_str().unwrap(),
            "--annotate",
            out.to_str().unwrap(),
        ],
        cwd,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("《公平竞争审查条例》"),
        "the report still prints"
    );
    assert!(
        r.stderr.contains("已写入带批注的 Word 文件"),
        "{}",
        r.stderr
    );
    annotated_copy_is_faithful(&source, &out);
    // The original is never the output.
    let same = run(
        &[
            "annotate",
            source.to_str().unwrap(),
            "-o",
            source.to_str().unwrap(),
        ],
        cwd,
    );
    assert_eq!(same.code, 2);
}

#[test]
fn other_formats_are_annotated_in_a_new_document() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = corpus_doc("c10");
    let expected = findings(&source);
    assert!(!expected.is_empty());
    let out = dir.path().join("c10.docx");
    let r = run(
        &[
            "annotate",
            source.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        cwd,
    );
    assert!(r.stdout.contains("新文件"), "{}", r.stdout);
    let after = parts(&out);
    assert_well_formed(&after);
    let anchored = anchored_texts(part(&after, "word/document.xml"));
    assert_eq!(anchored.len(), expected.len());
    let mut ids: Vec<&String> = anchored.keys().collect();
    ids.sort_by_key(|i| i.parse::<u32>().unwrap_or(0));
    for (id, finding) in ids.into_iter().zip(&expected) {
        assert_eq!(&anchored[id], finding["text"].as_str().unwrap());
    }
    let comments = String::from_utf8(part(&after, "word/comments.xml").to_vec()).unwrap();
    assert!(comments.contains(r#"w:initials="FS""#));
}

#[test]
fn form_fills_every_placeholder_and_marks_items_with_findings() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = corpus_doc("c01");
    let expected = findings(&source);
    let out = dir.path().join("审查表.docx");
    let r = run(
        &[
            "form",
            source.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        cwd,
    );
    assert!(
        r.stdout.contains("已写入审查表"),
        "{} {}",
        r.stdout,
        r.stderr
    );
    assert!(!r.stderr.contains("未知的占位符"), "{}", r.stderr);
    let filled = parts(&out);
    assert_well_formed(&filled);
    for (name, data) in &filled {
        if name.ends_with(".xml") {
            let text = String::from_utf8_lossy(data);
            assert!(!text.contains("{{"), "{name} keeps a placeholder");
        }
    }
    let rows = table_rows(part(&filled, "word/document.xml"));
    let row = |needle: &str| {
        rows.iter()
            .find(|r| r.first().is_some_and(|c| c.contains(needle)))
            .unwrap_or_else(|| panic!("no row {needle}: {rows:?}"))
    };
    assert!(row("政策措施名称")[1].contains("青禾市促进民营经济发展若干措施"));
    assert_eq!(row("起草机构")[1], "青禾市人民政府");
    for f in &expected {
        let (a, i) = (f["article"].as_u64().unwrap(), f["item"].as_u64().unwrap());
        let title = match (a, i) {
            (10, 2) => "有选择、有差别的财政奖励",
            (9, 2) => "设立分支机构",
            _ => continue,
        };
        let cells = row(title);
        assert_eq!(cells[1], "是", "{title}");
        assert!(cells[2].contains(f["text"].as_str().unwrap()), "{cells:?}");
    }
    assert_eq!(row("特许经营权")[1], "否");
    assert_eq!(row("审查结论")[1].lines().next(), Some("修改后出台"));
    assert!(row("负责人意见")[1].contains("负责人签字"));
    converts_with_soffice(&out);
}

#[test]
fn a_province_template_with_split_placeholders_is_filled() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let document = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>名称：{{措施</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>名称}}</w:t></w:r></w:p><w:p><w:r><w:t>{{10-2.是否}}；{{本省字段}}</w:t></w:r></w:p></w:body></w:document>"#;
    let template = dir.path().join("本省模板.docx");
    std::fs::write(
        &template,
        super::common::docx_with_document_xml(document.as_bytes()),
    )
    .unwrap();
    let out = dir.path().join("表.docx");
    let source = corpus_doc("c01");
    let r = run(
        &[
            "form",
            source.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--template",
            template.to_str().unwrap(),
        ],
        cwd,
    );
    assert!(r.stderr.contains("{{本省字段}}"), "{}", r.stderr);
    let filled = parts(&out);
    let xml = String::from_utf8(part(&filled, "word/document.xml").to_vec()).unwrap();
    assert!(!xml.contains("{{"));
    assert!(xml.contains("名称：青禾市人民政府关于印发《青禾市促进民营经济发展若干措施》的通知"));
    assert!(xml.contains(">是；<"), "{xml}");
}
