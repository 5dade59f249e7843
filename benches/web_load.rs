//! Web workbench load: `cargo bench --bench web_load`.
//!
//! Starts the workbench on a loopback port, then 50 clients upload at the
//! same moment a different 10-page policy document each (.docx, about 9,900
//! Chinese characters: the corpus's plain-text documents one after another,
//! with a line that makes each file unique) through the upload form, follow
//! the redirect and fetch the review page. Reports p50/p99 of the time from
//! the start of the upload to the review page received; any failed request
//! fails the benchmark. Results are printed as Markdown and written to
//! `target/bench-web.md`.

#[path = "../tests/cli/http.rs"]
mod http;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use fairscan::web::{AppState, Config, app};

const CLIENTS: usize = 50;

/// The corpus's plain-text policy documents, joined: about ten A4 pages.
fn ten_pages() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/docs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/docs")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut text = String::new();
    for f in files {
        // The corpus holds GB18030 and UTF-16 files too.
        let bytes = std::fs::read(f).expect("corpus text");
        text.push_str(
            &fairscan::extract::txt::decode(&bytes)
                .text
                .replace("\r\n", "\n"),
        );
        text.push('\n');
    }
    text
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal valid .docx: one paragraph per line.
fn docx(text: &str) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let _ = write!(xml, "<w:p><w:r><w:t>{}</w:t></w:r></w:p>", escape_xml(line));
    }
    xml.push_str("</w:body></w:document>");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let parts: [(&str, &str); 3] = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
            ),
            ("word/document.xml", &xml),
        ];
        for (name, body) in parts {
            zip.start_file(name, opts).expect("zip entry");
            zip.write_all(body.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip");
    }
    buf.into_inner()
}

/// Upload → redirect → review page; the time taken, or what went wrong.
fn one_client(port: u16, name: &str, file: &[u8]) -> Result<Duration, String> {
    let started = Instant::now();
    let (kind, body) = http::multipart(&[(name, file)]);
    let reply = http::request(port, "POST", "/check", &[("Content-Type", kind)], &body)
        .map_err(|e| format!("upload: {e}"))?;
    if reply.status != 303 {
        return Err(format!(
            "upload: HTTP {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        ));
    }
    let to = reply
        .header("location")
        .ok_or("upload: no Location")?
        .to_string();
    let page = http::request(port, "GET", &to, &[], b"").map_err(|e| format!("review: {e}"))?;
    let html = String::from_utf8_lossy(&page.body);
    if page.status != 200 || !html.contains("<mark class=\"lv-") {
        return Err(format!(
            "review {to}: HTTP {} without highlights",
            page.status
        ));
    }
    Ok(started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let state = AppState::open(Config::new(&tmp.path().join("data"))).expect("workbench state");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("loopback port");
    let port = listener.local_addr().expect("address").port();
    runtime.spawn(async move {
        let _ = axum::serve(listener, app(state)).await;
    });

    let text = ten_pages();
    let chars = text.chars().count();
    // Warm-up: dictionaries and rules are loaded once per process.
    let warm = docx(&format!("预热文件\n{text}"));
    one_client(port, "预热.docx", &warm).expect("warm-up upload");

    let files: Vec<Vec<u8>> = (0..CLIENTS)
        .map(|i| docx(&format!("青禾市第{i}号文件\n{text}\n本措施编号 {i}。")))
        .collect();
    let size = files[0].len();
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let wall = Instant::now();
    let handles: Vec<_> = files
        .into_iter()
        .enumerate()
        .map(|(i, file)| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                one_client(port, &format!("措施{i}.docx"), &file)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut errors = Vec::new();
    for h in handles {
        match h.join() {
            Ok(Ok(t)) => times.push(t),
            Ok(Err(e)) => errors.push(e),
            Err(_) => errors.push("client thread panicked".into()),
        }
    }
    let wall = wall.elapsed();
    times.sort();
    let mut report = String::new();
    let _ = writeln!(report, "## Web workbench load\n");
    let _ = writeln!(
        report,
        "{CLIENTS} concurrent uploads of a 10-page .docx ({chars} characters, {:.0} KB) on loopback, {} cores.\n",
        size as f64 / 1024.0,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(report, "| measure | value |\n|---|---:|");
    let _ = writeln!(
        report,
        "| completed without error | {} / {CLIENTS} |",
        times.len()
    );
    if !times.is_empty() {
        let _ = writeln!(
            report,
            "| upload → review page p50 | {:.0} ms |",
            ms(percentile(&times, 50.0))
        );
        let _ = writeln!(
            report,
            "| upload → review page p99 | {:.0} ms |",
            ms(percentile(&times, 99.0))
        );
        let _ = writeln!(report, "| slowest | {:.0} ms |", ms(times[times.len() - 1]));
    }
    let _ = writeln!(report, "| all {CLIENTS} done | {:.0} ms |", ms(wall));
    print!("{report}");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        Into::into,
    );
    let _ = std::fs::create_dir_all(&target);
    let _ = std::fs::write(target.join("bench-web.md"), &report);
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("error: {e}");
        }
        std::process::exit(1);
    }
}
