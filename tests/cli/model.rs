//! The learned second opinion from the command line: on by default, off with
//! `--no-model`, hidden by a baseline like any finding.

use super::common::{reviews, run};

const MISSED_BY_RULES: &str =
    "本市机动车安全技术检验服务纳入特许经营管理，新设检验机构须先取得市政府授予的特许经营权。";

fn model_findings(stdout: &str) -> usize {
    reviews(stdout)[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "model.second-opinion")
        .count()
}

#[test]
fn no_model_turns_the_second_opinion_off_and_a_baseline_hides_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, format!("第一条 {MISSED_BY_RULES}\n")).unwrap();
    let with = run(&["check", "a.txt", "--format", "jsonl"], dir.path());
    assert_eq!(model_findings(&with.stdout), 1, "{}", with.stdout);
    // A suggestion does not fail the default warning level.
    assert_eq!(with.code, 0);
    let without = run(
        &["check", "a.txt", "--format", "jsonl", "--no-model"],
        dir.path(),
    );
    assert_eq!(model_findings(&without.stdout), 0);
    let scan = run(
        &[
            "scan",
            "a.txt",
            "--format",
            "jsonl",
            "--no-store",
            "--no-model",
        ],
        dir.path(),
    );
    assert_eq!(model_findings(&scan.stdout), 0);

    let added = run(
        &[
            "baseline",
            "add",
            "a.txt",
            "--reason",
            "已核实，不属于特许经营",
        ],
        dir.path(),
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    let hidden = run(
        &[
            "check",
            "a.txt",
            "--format",
            "jsonl",
            "--baseline",
            "fairscan-baseline.toml",
        ],
        dir.path(),
    );
    assert_eq!(model_findings(&hidden.stdout), 0, "{}", hidden.stdout);
}

#[test]
fn eval_counts_the_second_opinion_unless_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let line = serde_json::json!({"id": "x", "text": MISSED_BY_RULES, "article": 8, "item": 2});
    std::fs::write(dir.path().join("x.jsonl"), format!("{line}\n")).unwrap();
    let with = run(&["eval", "x.jsonl"], dir.path());
    assert!(with.stdout.contains("发现 1，"), "{}", with.stdout);
    let without = run(&["eval", "x.jsonl", "--no-model"], dir.path());
    assert!(without.stdout.contains("发现 0，"), "{}", without.stdout);
}
