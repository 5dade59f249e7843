//! Hostile input: every file gets a result or a clear per-file error, the batch
//! finishes with exit code 2, nothing panics and memory stays bounded.
//! CI runs this module in release mode.

use std::io::Write;
use std::path::Path;

use crate::common::*;

const MB: usize = 1024 * 1024;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

/// A docx whose document.xml inflates to more than 1 GiB.
fn zip_bomb() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("word/document.xml", opts).unwrap();
        let chunk = vec![b' '; MB];
        for _ in 0..1100 {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

fn billion_laughs() -> Vec<u8> {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>第一条 &lol9;</w:t></w:r></w:p></w:body></w:document>");
    docx_with_document_xml(xml.as_bytes())
}

fn xxe() -> Vec<u8> {
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>第一条 外部实体&secret;结束</w:t></w:r></w:p></w:body></w:document>";
    docx_with_document_xml(xml.as_bytes())
}

fn deep_docx() -> Vec<u8> {
    let depth = 20_000;
    let xml = format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{}<w:p><w:r><w:t>深层</w:t></w:r></w:p>{}</w:body></w:document>",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    docx_with_document_xml(xml.as_bytes())
}

fn deep_html() -> Vec<u8> {
    let depth = 20_000;
    format!(
        "<!DOCTYPE html><html><head><title>深层嵌套</title></head><body>{}<p>第一条 深层嵌套的正文。</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
    .into_bytes()
}

/// Deterministic pseudo-random bytes (no RNG dependency needed).
fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// 50 MB of policy text on one line: half in sentences, half one run with
/// no sentence stop and a rule term every few characters.
fn one_line_text() -> Vec<u8> {
    let sentence = "对符合条件的企业按规定给予支持，申报条件公开透明，所有经营者平等参与。";
    let run_on = "本地企业优先给予补贴，";
    let mut s = String::with_capacity(50 * MB + sentence.len());
    while s.len() < 25 * MB {
        s.push_str(sentence);
    }
    while s.len() < 50 * MB {
        s.push_str(run_on);
    }
    s.into_bytes()
}

/// Runs fairscan and returns its output with the peak RSS of that process
/// alone, in MB. The peak is read from the process's own memory map
/// (`VmHWM`) while it runs: the rusage of a child started from this large,
/// many-threaded test process can carry the parent's peak over through exec.
fn run_measured(args: &[&str], cwd: &std::path::Path) -> (Run, i64) {
    use std::io::Read;
    let mut child = fairscan()
        .args(args)
        .current_dir(cwd)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let read_all = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            s
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().unwrap()));
    let stderr = read_all(Box::new(child.stderr.take().unwrap()));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0i64;
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| high_water_kb(&s))
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    (run, peak_kb / 1024)
}

/// The `VmHWM` (peak resident set) line of a `/proc/PID/status` file, in kB.
fn high_water_kb(status: &str) -> Option<i64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn hostile_batch_finishes_with_per_file_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hostile");
    let d = dir.as_path();
    let valid = docx_with_document_xml(&document_xml(NOTICE));

    write(d, "empty.docx", b"");
    write(d, "empty.pdf", b"");
    write(d, "truncated.docx", &valid[..valid.len() / 2]);
    write(d, "bomb.docx", &zip_bomb());
    write(d, "laughs.docx", &billion_laughs());
    write(d, "xxe.docx", &xxe());
    write(d, "deep.docx", &deep_docx());
    write(d, "deep.html", &deep_html());
    write(d, "random.docx", &random_bytes(64 * 1024, 7));
    write(d, "random.pdf", &random_bytes(64 * 1024, 11));
    write(d, "random.doc", &random_bytes(64 * 1024, 13));
    write(
        d,
        "truncated.pdf",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa",
    );
    write(d, "broken-xref.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\n0 3\nzzzz garbage\ntrailer\n<< /Root 1 0 R /Size 3 >>\nstartxref\n9999999\n%%EOF\n");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in [
        "doc/truncated.doc",
        "doc/bad_fat.doc",
        "doc/fib_outside.doc",
        "doc/encrypted.doc",
        "ofd/missing_docroot.ofd",
        "ofd/zip_bomb.ofd",
        "ofd/entity_bomb.ofd",
        "scan/bomb.png",
    ] {
        let flat = name.replace('/', "-");
        write(
            d,
            &format!("fixture-{flat}"),
            &std::fs::read(root.join(name)).unwrap(),
        );
    }
    for name in [
        "encrypted_user.pdf",
        "broken_xref.pdf",
        "truncated.pdf",
        "image_only.pdf",
    ] {
        write(
            d,
            &format!("fixture-{name}"),
            &std::fs::read(fixtures.join(name)).unwrap(),
        );
    }
    // Mislabeled formats: the bytes decide.
    write(d, "really-html.doc", format!("<html><head><meta charset=\"utf-8\"><title>通知</title></head><body><div id=\"zoom\"><p>{}</p></div></body></html>", NOTICE.replace('\n', "</p><p>")).as_bytes());
    write(d, "really-docx.pdf", &valid);
    write(d, "really-text.docx", NOTICE.as_bytes());
    write(d, "one-line.txt", &one_line_text());
    write(d, "政策 文件（２０２４）/通知 副本.txt", NOTICE.as_bytes());
    std::os::unix::fs::symlink(d, d.join("loop")).unwrap();

    let (out, rss) = run_measured(
        &["scan", "hostile", "--format", "jsonl", "--jobs", "2"],
        tmp.path(),
    );
    assert_eq!(out.code, 2, "stderr: {}", out.stderr);
    let rs = reviews(&out.stdout);

    let error_kind = |name: &str| {
        review_named(&rs, name)["error"]["kind"]
            .as_str()
            .map(str::to_string)
    };
    for name in [
        "empty.docx",
        "empty.pdf",
        "truncated.docx",
        "random.docx",
        "random.pdf",
        "random.doc",
        "truncated.pdf",
        "broken-xref.pdf",
    ] {
        assert!(
            error_kind(name).is_some(),
            "{name} should fail with a per-file error"
        );
    }
    assert_eq!(error_kind("bomb.docx").as_deref(), Some("too_large"));
    for (name, kind) in [
        ("fixture-doc-truncated.doc", "corrupt"),
        ("fixture-doc-bad_fat.doc", "corrupt"),
        ("fixture-doc-fib_outside.doc", "corrupt"),
        ("fixture-doc-encrypted.doc", "encrypted"),
        ("fixture-ofd-missing_docroot.ofd", "corrupt"),
        ("fixture-ofd-zip_bomb.ofd", "too_large"),
        ("fixture-scan-bomb.png", "too_large"),
    ] {
        assert_eq!(error_kind(name).as_deref(), Some(kind), "{name}");
    }
    let entity = review_named(&rs, "fixture-ofd-entity_bomb.ofd");
    assert!(entity["chars"].as_u64().unwrap_or(0) < 100_000, "{entity}");
    assert_eq!(
        error_kind("fixture-encrypted_user.pdf").as_deref(),
        Some("encrypted")
    );
    assert_eq!(
        error_kind("fixture-image_only.pdf").as_deref(),
        Some("needs_ocr")
    );
    for name in ["fixture-broken_xref.pdf", "fixture-truncated.pdf"] {
        let r = review_named(&rs, name);
        assert!(
            r["error"].is_object() || r["chars"].as_u64().unwrap() > 0,
            "{name}: {r}"
        );
    }
    for r in &rs {
        if let Some(message) = r["error"]["message"].as_str() {
            assert!(!message.is_empty());
        }
    }

    // Entities are never expanded: no laughter, no leaked file.
    let laughs = review_named(&rs, "laughs.docx");
    assert!(laughs["chars"].as_u64().unwrap_or(0) < 1000);
    let xxe_review = review_named(&rs, "xxe.docx");
    assert!(xxe_review["error"].is_null());
    let xxe_text = run(&["extract", "hostile/xxe.docx"], tmp.path()).stdout;
    assert!(
        xxe_text.contains("外部实体") && !xxe_text.contains("root:"),
        "{xxe_text}"
    );

    // Deep nesting: a clean error or a correct result, never a crash.
    for name in ["deep.docx", "deep.html"] {
        let r = review_named(&rs, name);
        assert!(
            r["error"].is_object() || r["chars"].as_u64().unwrap() > 0,
            "{name}: {r}"
        );
    }

    // Mislabeled files are read by what they are.
    assert_eq!(review_named(&rs, "really-html.doc")["format"], "html");
    assert_eq!(review_named(&rs, "really-docx.pdf")["format"], "docx");
    assert_eq!(review_named(&rs, "really-text.docx")["format"], "txt");
    for name in [
        "really-html.doc",
        "really-docx.pdf",
        "really-text.docx",
        "通知 副本.txt",
    ] {
        let r = review_named(&rs, name);
        assert!(r["error"].is_null(), "{name}: {r}");
        assert_eq!(r["meta"]["doc_number"], "青政发〔2024〕12号", "{name}");
    }

    let big = review_named(&rs, "one-line.txt");
    assert!(big["error"].is_null());
    assert!(big["chars"].as_u64().unwrap() > 16_000_000);

    // The symlink loop is reported once, not followed forever.
    assert!(rs.iter().any(|r| {
        r["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("循环"))
    }));

    assert!(rss < 500, "peak RSS {rss} MB");
    eprintln!("hostile batch: {} reviews, peak RSS {rss} MB", rs.len());
}
