//! Crash safety: a scan killed half-way leaves every committed review intact,
//! the index is brought back in line with the store, and a re-run finishes.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use crate::common::*;

const DOCUMENTS: usize = 300;

#[path = "../../benches/common/mod.rs"]
mod sources;

/// Paragraphs of the sample sources, to make varied documents from.
fn paragraphs() -> Vec<String> {
    sources::source_paragraphs(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn generate(dir: &Path) {
    let paras = paragraphs();
    assert!(!paras.is_empty());
    std::fs::create_dir_all(dir).unwrap();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for n in 0..DOCUMENTS {
        let mut text = format!("测试文件第{n}号\n");
        while text.len() < 12_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(&paras[(seed % paras.len() as u64) as usize]);
            text.push('\n');
        }
        std::fs::write(dir.join(format!("doc-{n:04}.txt")), text).unwrap();
    }
}

fn stored(d: &Path) -> i64 {
    let conn = rusqlite::Connection::open(d.join(".fairscan/fairscan.db")).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_killed_scan_keeps_what_it_committed_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generate(&d.join("docs"));

    let mut child = fairscan()
        .args(["scan", "docs", "--format", "jsonl", "--jobs", "1"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reported = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        reported.push(line);
        if reported.len() >= 40 {
            break;
        }
    }
    // SIGKILL: no chance to flush, commit or clean up.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGKILL) };
    child.wait().unwrap();

    let kept = stored(d);
    assert!(
        kept as usize >= reported.len(),
        "every reported review was committed first ({kept} < {})",
        reported.len()
    );
    assert!((kept as usize) < DOCUMENTS, "the scan was stopped half-way");

    // Opening the index brings it in line with the store.
    let store = fairscan::store::Store::open(&d.join(".fairscan")).unwrap();
    let index = fairscan::index::SearchIndex::open(&d.join(".fairscan")).unwrap();
    index.sync(&store).unwrap();
    assert_eq!(index.marker().unwrap().seq, store.sequence().unwrap());
    let all = index
        .search("", &fairscan::index::Filters::default(), 1)
        .unwrap();
    assert_eq!(all.documents_total as i64, kept);
    drop((store, index));

    // A re-run reuses what was stored and analyses the rest.
    let rerun = run(&["scan", "docs", "--format", "jsonl"], d);
    assert!(rerun.code == 0 || rerun.code == 1, "{}", rerun.stderr);
    assert_eq!(reviews(&rerun.stdout).len(), DOCUMENTS);
    assert_eq!(stored(d) as usize, DOCUMENTS);
    let conn = rusqlite::Connection::open(d.join(".fairscan/fairscan.db")).unwrap();
    let (analysed, unchanged): (i64, i64) = conn
        .query_row(
            "SELECT analysed, unchanged FROM batches ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(unchanged, kept);
    assert_eq!(analysed as usize, DOCUMENTS - kept as usize);
    let searched = run(&["search", "", "--format", "jsonl"], d);
    assert_eq!(
        reviews(&searched.stdout).last().unwrap()["documents"],
        DOCUMENTS
    );
}
