//! Helpers to run the CLI and read its JSON output.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub fn fairscan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fairscan"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = fairscan()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("fairscan runs");
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "fairscan panicked:\n{}",
        run.stderr
    );
    run
}

/// Parses `--format jsonl` output: one review per line.
pub fn reviews(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect()
}

/// The review whose path ends with `name`.
pub fn review_named<'a>(reviews: &'a [Value], name: &str) -> &'a Value {
    reviews
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no review for {name}"))
}

/// A minimal .docx with the given `word/document.xml` body XML.
pub fn docx_with_document_xml(document_xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("[Content_Types].xml", opts).unwrap();
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(document_xml).unwrap();
        w.finish().unwrap();
    }
    buf.into_inner()
}

/// `word/document.xml` with one paragraph per line of `text`.
pub fn document_xml(text: &str) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for line in text.lines() {
        xml.push_str(&format!("<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"));
    }
    xml.push_str("</w:body></w:document>");
    xml.into_bytes()
}

/// A short policy notice used where a valid document is needed.
pub const NOTICE: &str = "青禾市人民政府文件\n青政发〔2024〕12号\n青禾市人民政府关于印发《青禾市促进民营经济发展若干措施》的通知\n各区人民政府，市政府各部门：\n现将《青禾市促进民营经济发展若干措施》印发给你们，请认真贯彻执行。\n一、优化营商环境\n（一）全面落实市场准入负面清单制度，不得设置不合理的准入条件。\n（二）对符合条件的企业给予支持。\n二、加强组织保障\n青禾市人民政府\n2024年3月18日";
