//! The web workbench end to end: `fairscan serve` on a random loopback port,
//! driven by headless Chromium through chromedriver. Upload documents, see
//! the highlighted findings, dismiss one with a reason, find it by search
//! with its decision, download the commented Word file. Screenshots of each
//! page go to docs/ with FAIRSCAN_SCREENSHOTS=1 (else to a temporary folder).
//!
//! A missing browser fails the test, unless FAIRSCAN_SKIP_BROWSER=1.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Stdio};
use std::time::{Duration, Instant};

use super::common::{fairscan, run};
use super::http;
use super::webdriver::Browser;

/// A running `fairscan serve`; stopped when dropped.
pub struct Served {
    child: Child,
    pub port: u16,
    _stdout: BufReader<ChildStdout>,
}

impl Served {
    pub fn start(data: &Path, extra: &[&str]) -> Served {
        let mut child = fairscan()
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("fairscan serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the start line");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Served {
            child,
            port,
            _stdout: stdout,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The program named by `env`, else `default`; `Err` names the path tried.
fn tool(env: &str, default: &str) -> Result<PathBuf, PathBuf> {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if path.exists() { Ok(path) } else { Err(path) }
}

fn corpus(prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/docs");
    std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no corpus document {prefix}"))
}

fn save_shot(browser: &Browser, dir: &Path, name: &str) {
    let png = browser.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "{name} is not a PNG");
    std::fs::write(dir.join(name), png).unwrap();
}

/// Waits for a finished download ending in `.docx`.
fn downloaded_docx(dir: &Path) -> Vec<u8> {
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "docx"));
        if let Some(path) = done {
            return std::fs::read(path).unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the commented .docx was not downloaded"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn comments_of(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a valid .docx (zip)");
    assert!(
        zip.by_name("word/document.xml").is_ok(),
        "no main document part"
    );
    let mut comments = String::new();
    zip.by_name("word/comments.xml")
        .expect("a comments part")
        .read_to_string(&mut comments)
        .unwrap();
    comments
}

#[test]
fn workbench_in_a_real_browser() {
    if std::env::var("FAIRSCAN_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("FAIRSCAN_SKIP_BROWSER=1: browser test skipped");
        return;
    }
    let chromium = tool("CHROMIUM", "/usr/bin/chromium").unwrap_or_else(|p| {
        panic!("Chromium not found at {} (install the chromium package, set CHROMIUM=path, or FAIRSCAN_SKIP_BROWSER=1 to skip)", p.display())
    });
    let driver = tool("CHROMEDRIVER", "/usr/bin/chromedriver").unwrap_or_else(|p| {
        panic!("chromedriver not found at {} (install the chromium-driver package, set CHROMEDRIVER=path, or FAIRSCAN_SKIP_BROWSER=1 to skip)", p.display())
    });
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let shots = if std::env::var("FAIRSCAN_SCREENSHOTS").is_ok_and(|v| v == "1") {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
    } else {
        tmp.path().to_path_buf()
    };
    let server = Served::start(&tmp.path().join("data"), &[]);
    let browser = Browser::start(&chromium, &driver, &tmp.path().join("profile"), &downloads);

    // 检查: three documents at once, with progress, then the first review.
    browser.goto(&server.url("/check"));
    let files = [corpus("c01 "), corpus("c05 "), corpus("c07 ")];
    let list: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    browser.type_into(&browser.find("#files"), &list.join("\n"));
    browser.click(&browser.find("form#upload button"));
    browser.wait("three reviewed uploads", 30, |b| {
        b.find_all("#progress li a").len() == files.len()
    });
    save_shot(&browser, &shots, "web-check.png");
    let first = browser.find("#progress li a");
    browser.click(&first);
    browser.wait("the review page", 10, |b| b.url().contains("/reviews/"));

    // 审查: flagged sentences are highlighted and listed.
    let marks = browser.find_all("mark.lv-error, mark.lv-warning, mark.lv-suggestion");
    assert!(!marks.is_empty(), "no highlighted sentence");
    assert!(
        !browser.find_all("aside.cite a").is_empty(),
        "no margin citation"
    );
    let cards = browser.find_all("article.card");
    assert!(!cards.is_empty(), "no finding card");
    browser.script("document.getElementById('m1').scrollIntoView({block: 'center'});");
    save_shot(&browser, &shots, "web-review.png");
    let sentence = browser.text(&browser.find_in(&cards[0], "blockquote"));

    // Dismiss the first finding with a reason.
    let card = &cards[0];
    let reason = "该条款有法律依据，不构成问题";
    browser.type_into(
        &browser.find_in(card, "form.dismiss input[name=reason]"),
        reason,
    );
    browser.click(&browser.find_in(card, "form.dismiss button"));
    let status = browser.find_in(card, "header .status");
    browser.wait("the dismissal", 10, |b| b.text(&status) == "已驳回");
    assert!(
        browser
            .text(&browser.find_in(card, "[data-decision]"))
            .contains(reason)
    );

    // Download the commented Word file.
    browser.click(&browser.find("a[href$='/annotated.docx']"));
    let comments = comments_of(&downloaded_docx(&downloads));
    assert!(
        comments.contains("<w:comment "),
        "the .docx holds no comment"
    );

    // 检索: the dismissed finding is found by its words, with its decision.
    browser.goto(&server.url("/search"));
    browser.type_into(&browser.find("form.search input[name=q]"), &sentence);
    browser.click(&browser.find("form.search button"));
    browser.wait("search results", 10, |b| b.url().contains("q="));
    let hits: Vec<String> = browser
        .find_all("article.hit.finding")
        .iter()
        .map(|h| browser.text(h))
        .collect();
    assert!(
        hits.iter()
            .any(|h| h.contains("已驳回") && h.contains(reason)),
        "the dismissed finding with its reason: {hits:?}"
    );
    assert!(
        !browser.find_all("article.hit.finding mark.hl").is_empty(),
        "no highlighted snippet"
    );
    save_shot(&browser, &shots, "web-search.png");
    browser.goto(&server.url("/search?status=dismissed"));
    assert_eq!(
        browser.find_all("article.hit.finding").len(),
        1,
        "one dismissed finding"
    );

    // 批次 and 规则.
    // Each file went up in its own request: one batch each, charts over all.
    browser.goto(&server.url("/batches"));
    assert_eq!(browser.find_all("figure.chart svg").len(), 4);
    assert_eq!(browser.find_all("table.list tbody tr").len(), files.len());
    save_shot(&browser, &shots, "web-batches.png");
    browser.goto(&server.url("/rules"));
    assert!(browser.find_all("details.rule").len() > 10);
    save_shot(&browser, &shots, "web-rules.png");

    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(60),
        "the browser test took {took:?}"
    );
}

#[test]
fn serve_refuses_other_addresses_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        &[
            "serve",
            "--addr",
            "0.0.0.0:0",
            "--data",
            dir.path().to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("访问令牌"), "{}", r.stderr);
}

#[test]
fn serve_answers_on_loopback_and_checks_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(&dir.path().join("data"), &["--token", "t0ken-for-test"]);
    let reply = http::request(server.port, "GET", "/check", &[], b"").unwrap();
    assert_eq!(reply.status, 401);
    let auth = [("Authorization", "Bearer t0ken-for-test".to_string())];
    let reply = http::request(server.port, "GET", "/check", &auth, b"").unwrap();
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .header("content-security-policy")
            .is_some_and(|v| v.contains("script-src 'self'"))
    );
    let (kind, body) = http::multipart(&[("a.txt", "第一条 本地企业优先。".as_bytes())]);
    let headers = [auth[0].clone(), ("Content-Type", kind)];
    let reply = http::request(server.port, "POST", "/api/check", &headers, &body).unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
}
