//! The review store, incremental scans, search, decisions and similar findings.

use std::path::Path;

use crate::common::*;

const REWARD: &str = "青禾市人民政府文件\n青政发〔2024〕3号\n青禾市促进招商引资若干措施\n第一条 对在本市注册的企业给予奖励资金。\n第二条 税收地方留成部分全额返还给新落户企业。\n青禾市人民政府\n2024年3月18日";
const BIDDING: &str = "临溪市人民政府办公室文件\n临政办发〔2023〕9号\n临溪市工程招标投标管理办法\n第一条 外地企业参与本市工程投标须在本地设立分支机构。\n第二条 对新引进企业按税收地方留成部分给予奖励。\n临溪市人民政府办公室\n2023年5月6日";
const GRAIN: &str = "云岭县人民政府文件\n云政发〔2022〕1号\n云岭县粮食流通保供实施方案\n一、各部门加强粮食市场监测预警，做好应急保供工作。\n云岭县人民政府\n2022年1月4日";

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    for (name, text) in [
        ("reward.txt", REWARD),
        ("bidding.txt", BIDDING),
        ("grain.txt", GRAIN),
    ] {
        std::fs::write(dir.path().join("docs").join(name), text).unwrap();
    }
    dir
}

fn db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(".fairscan/fairscan.db")).unwrap()
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// (analysed, unchanged) of the last batch.
fn last_batch(dir: &Path) -> (i64, i64) {
    db(dir)
        .query_row(
            "SELECT analysed, unchanged FROM batches ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn scan_records_reviews_and_rescans_only_what_changed() {
    let dir = folder();
    let d = dir.path();
    let first = run(&["scan", "docs", "--format", "jsonl"], d);
    assert_eq!(first.code, 1, "{}", first.stderr);
    let conn = db(d);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), 3);
    let findings = count(&conn, "SELECT COUNT(*) FROM findings");
    assert!(findings >= 2);
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM documents WHERE text LIKE '%奖励资金%'"
        ),
        1,
        "the extracted text is kept"
    );
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(count(&conn, "PRAGMA user_version") >= 1);
    assert_eq!(last_batch(d), (3, 0));

    // Unchanged: the stored reviews are reported, identical.
    let again = run(&["scan", "docs", "--format", "jsonl"], d);
    assert_eq!(again.stdout, first.stdout);
    assert_eq!(last_batch(d), (0, 3));

    // One file changed: only it is analysed, its old review replaced.
    std::fs::write(
        d.join("docs/grain.txt"),
        GRAIN.replace("应急保供", "应急储备"),
    )
    .unwrap();
    run(&["scan", "docs", "--format", "jsonl"], d);
    assert_eq!(last_batch(d), (1, 2));
    assert_eq!(count(&db(d), "SELECT COUNT(*) FROM documents"), 3);

    // --no-store leaves the store alone; --data puts it elsewhere.
    run(&["scan", "docs", "--no-store"], d);
    assert_eq!(count(&db(d), "SELECT COUNT(*) FROM batches"), 3);
    let other = run(&["scan", "docs/grain.txt", "--data", "elsewhere"], d);
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert!(d.join("elsewhere/fairscan.db").exists());
    assert!(d.join("elsewhere/index/meta.json").exists());
}

#[test]
fn search_finds_documents_and_findings() {
    let dir = folder();
    let d = dir.path();
    run(&["scan", "docs"], d);

    let reward = run(&["search", "奖励", "--format", "jsonl"], d);
    assert_eq!(reward.code, 0, "{}", reward.stderr);
    let lines = reviews(&reward.stdout);
    let summary = lines.last().unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["documents"], 2);
    assert!(summary["facets"]["article"].as_array().is_some());
    let doc_hit = lines.iter().find(|l| l["kind"] == "document").unwrap();
    assert!(doc_hit["snippet"].as_str().unwrap().contains("<b>奖励</b>"));

    let phrase = reviews(&run(&["search", "\"地方留成\"", "--format", "jsonl"], d).stdout);
    assert_eq!(phrase.last().unwrap()["documents"], 2);
    let without = reviews(&run(&["search", "地方留成 -投标", "--format", "jsonl"], d).stdout);
    assert_eq!(without.last().unwrap()["documents"], 1);
    let either = reviews(&run(&["search", "粮食 OR 投标", "--format", "jsonl"], d).stdout);
    assert_eq!(either.last().unwrap()["documents"], 2);

    let old = run(&["search", "", "--until", "2023", "--format", "jsonl"], d);
    assert_eq!(reviews(&old.stdout).last().unwrap()["documents"], 2);
    let by_issuer = run(
        &[
            "search",
            "",
            "--issuer",
            "临溪市人民政府办公室",
            "--format",
            "jsonl",
        ],
        d,
    );
    assert_eq!(reviews(&by_issuer.stdout).last().unwrap()["documents"], 1);

    let text = run(&["search", "奖励"], d);
    assert!(text.stdout.contains("【奖励】"), "{}", text.stdout);
    assert!(text.stdout.contains("分面统计"), "{}", text.stdout);
    assert_eq!(run(&["search", "没有这个词语"], d).code, 1);
    assert_eq!(run(&["search", "", "--since", "去年"], d).code, 2);

    // The index is derived: deleting it loses nothing.
    std::fs::remove_dir_all(d.join(".fairscan/index")).unwrap();
    let rebuilt = run(&["reindex"], d);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let after = reviews(&run(&["search", "奖励", "--format", "jsonl"], d).stdout);
    assert_eq!(after.last().unwrap()["documents"], 2);
}

#[test]
fn a_dismissal_suppresses_the_finding_in_later_scans() {
    let dir = folder();
    let d = dir.path();
    run(&["scan", "docs"], d);
    let listed = run(&["review", "list", "--json"], d);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let rows = reviews(&listed.stdout);
    let row = rows
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("reward.txt"))
        .unwrap();
    assert_eq!(row["status"], "open");
    let id = row["id"].as_str().unwrap();

    assert_eq!(
        run(&["review", "mark", id, "--status", "dismissed"], d).code,
        2
    );
    let marked = run(
        &[
            "review",
            "mark",
            &id[..8],
            "--status",
            "dismissed",
            "--reason",
            "经国务院批准的试点",
            "--reviewer",
            "王五",
        ],
        d,
    );
    assert_eq!(marked.code, 0, "{}", marked.stderr);
    let dismissed = reviews(&run(&["review", "list", "--json", "--status", "dismissed"], d).stdout);
    assert_eq!(dismissed.len(), 1);
    assert_eq!(dismissed[0]["reviewer"], "王五");

    let out = run(&["scan", "docs/reward.txt", "--format", "jsonl"], d);
    let r = &reviews(&out.stdout)[0];
    let suppressed = r["suppressed"].as_array().unwrap();
    assert!(
        suppressed.iter().any(|s| s["fingerprint"] == id
            && s["reason"].as_str().unwrap().contains("经国务院批准的试点")),
        "{r}"
    );
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["text"] != row["text"])
    );

    let facet = run(
        &["search", "", "--status", "dismissed", "--format", "jsonl"],
        d,
    );
    let lines = reviews(&facet.stdout);
    assert_eq!(lines.last().unwrap()["findings"], 1, "{}", facet.stdout);
    assert_eq!(
        run(&["review", "mark", "zzzz", "--status", "fixed"], d).code,
        2
    );
}

#[test]
fn new_findings_carry_similar_earlier_ones() {
    let dir = folder();
    let d = dir.path();
    run(&["scan", "docs/bidding.txt"], d);
    std::fs::write(
        d.join("new.txt"),
        "第三条 对新引进企业按其税收地方留成部分给予奖励。",
    )
    .unwrap();
    let out = run(&["scan", "new.txt", "--format", "jsonl"], d);
    let r = &reviews(&out.stdout)[0];
    let with_similar = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f.get("similar").is_some())
        .unwrap_or_else(|| panic!("no similar findings: {r}"));
    let similar = with_similar["similar"].as_array().unwrap();
    assert!(similar.len() <= 3);
    assert!(
        similar[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("bidding.txt")
    );
    assert_eq!(similar[0]["status"], "open");

    let check = run(&["check", "new.txt"], d);
    assert!(check.stdout.contains("相似的既往问题"), "{}", check.stdout);
}
