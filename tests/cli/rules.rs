//! Rules as data from a reviewer's seat: own packs, validation, suppression.

use crate::common::*;

const VIOLATION: &str = "第五条 对新落户的总部企业，按其上年度形成的地方财政贡献的50%给予奖励。";

const OWN_PACK: &str = r#"
[[rule]]
id = "local.only-local-hotels"
title = "会议只能在本地定点酒店举办"
article = 8
item = 3
level = "warning"
require = [["定点酒店"], ["只能", "必须"]]
explanation = "限定在{g0}举办，排除了其他经营者。"
suggestion = "改为按公开标准自主选择。"
[rule.examples]
flag = ["会议只能在定点酒店举办。", "培训必须安排在定点酒店。"]
pass = ["不得要求会议只能在定点酒店举办。", "会议地点由主办单位自主选择。"]
"#;

#[test]
fn a_reviewers_own_pack_is_checked_and_used_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("pack")).unwrap();
    std::fs::write(d.join("pack/hotels.toml"), OWN_PACK).unwrap();
    let check = run(&["rules", "check", "pack"], d);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("1 条规则有效"));

    std::fs::write(d.join("doc.txt"), "第二条 各单位会议只能在定点酒店举办。").unwrap();
    let own_rule = |stdout: &str| {
        reviews(stdout)[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "local.only-local-hotels")
            .cloned()
    };
    let plain = run(&["scan", "doc.txt", "--format", "jsonl"], d);
    assert!(own_rule(&plain.stdout).is_none());
    let with_pack = run(
        &["scan", "doc.txt", "--format", "jsonl", "--rules", "pack"],
        d,
    );
    assert_eq!(with_pack.code, 1);
    let finding = own_rule(&with_pack.stdout).expect("the reviewer's rule fires");
    assert_eq!(finding["clause"], "第二条");
    assert_eq!(finding["level"], "warning");

    let listed = run(&["rules", "list", "--rules", "pack"], d);
    assert!(
        listed
            .stdout
            .contains("local.only-local-hotels\t8(3)\twarning")
    );
}

#[test]
fn a_broken_pack_is_rejected_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("pack")).unwrap();
    let broken = OWN_PACK.replace("item = 3", "item = 9");
    std::fs::write(d.join("pack/bad.toml"), &broken).unwrap();
    let out = run(&["rules", "check", "pack"], d);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad.toml:2:"), "{}", out.stderr);

    std::fs::write(
        d.join("pack/bad.toml"),
        "[[rule]]\nid = \"x\"\nlevel = \"fatal\"\n",
    )
    .unwrap();
    let out = run(&["rules", "check", "pack"], d);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad.toml:3:"), "{}", out.stderr);

    let failing = OWN_PACK.replace("会议地点由主办单位自主选择。", "会议只能在定点酒店举办。");
    std::fs::write(d.join("pack/bad.toml"), failing).unwrap();
    let out = run(&["rules", "check", "pack"], d);
    assert_eq!(out.code, 1, "a pack whose examples fail");
    assert!(out.stdout.contains("不应命中却命中了"), "{}", out.stdout);
}

#[test]
fn baseline_suppresses_with_a_reason_and_reports_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("doc.txt"), VIOLATION).unwrap();
    assert_eq!(run(&["scan", "doc.txt"], d).code, 1);

    let no_reason = run(&["baseline", "add", "doc.txt"], d);
    assert_eq!(no_reason.code, 2);
    let add = run(
        &[
            "baseline",
            "add",
            "doc.txt",
            "--reason",
            "经核实系国务院批准的试点政策",
        ],
        d,
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    let listed = run(&["baseline", "list"], d);
    assert!(listed.stdout.contains("经核实系国务院批准的试点政策"));

    let out = run(
        &[
            "scan",
            "doc.txt",
            "--format",
            "jsonl",
            "--baseline",
            "fairscan-baseline.toml",
        ],
        d,
    );
    assert_eq!(out.code, 0, "suppressed findings no longer fail the run");
    let r = &reviews(&out.stdout)[0];
    assert_eq!(r["findings"].as_array().unwrap().len(), 0);
    assert_eq!(r["suppressed"][0]["reason"], "经核实系国务院批准的试点政策");
    let text = run(
        &["scan", "doc.txt", "--baseline", "fairscan-baseline.toml"],
        d,
    );
    assert!(text.stdout.contains("隐藏 1 处"), "{}", text.stdout);

    // The clause is rewritten: the entry no longer matches and is reported, then pruned.
    std::fs::write(
        d.join("doc.txt"),
        "第五条 对新落户的总部企业给予一次性奖励。",
    )
    .unwrap();
    let text = run(
        &["scan", "doc.txt", "--baseline", "fairscan-baseline.toml"],
        d,
    );
    assert!(
        text.stdout.contains("基线中有 1 条本次未匹配"),
        "{}",
        text.stdout
    );
    let prune = run(&["baseline", "prune", "doc.txt"], d);
    assert!(
        prune.stdout.contains("删除 1 条过期条目"),
        "{}",
        prune.stdout
    );
}
