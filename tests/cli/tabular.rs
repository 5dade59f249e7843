//! The Excel ledger and the CSV findings list, read back with independent
//! readers (calamine, csv) and checked against the JSON contract of the same scan.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::common::*;

/// Two flagged clauses among several clean ones: a document to revise.
const VIOLATING: &str = "青禾市商务局文件\n青商发〔2024〕3号\n青禾市商务局关于促进会展业高质量发展的通知\n各有关单位：\n为促进会展业高质量发展，现就有关事项通知如下。\n第一条 对新落户的总部企业，按其上年度形成的地方财政贡献的50%给予奖励。\n第二条 政府采购项目限定使用本地企业生产的产品。\n第三条 各单位要加强会展场馆的安全管理，落实消防责任，定期开展安全检查。\n第四条 鼓励会展企业提升服务质量，完善展会评价机制，推动行业标准化建设。\n第五条 本通知自印发之日起施行，由市商务局负责解释。\n青禾市商务局\n2024年3月18日";

/// The excel serial number of 2024-03-18.
const MARCH_18_2024: f64 = 45369.0;

const LEDGER_HEADER: [&str; 16] = [
    "序号",
    "文件",
    "标题",
    "发文字号",
    "发文机关",
    "成文日期",
    "格式",
    "字数",
    "错误",
    "警告",
    "提示",
    "涉及条目",
    "建议结论",
    "结论依据",
    "审查状态",
    "备注",
];

const FINDINGS_HEADER: [&str; 12] = [
    "文件",
    "标题",
    "条款位置",
    "原文",
    "条目",
    "级别",
    "置信度",
    "依据词",
    "理由",
    "修改建议",
    "规则编号",
    "审查决定",
];

/// A folder with a violating, a clean and a broken file; returns the folder.
fn batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    // Commas and quotes in a name exercise CSV quoting.
    std::fs::write(docs.join("a-违规,\"初稿\".txt"), VIOLATING).unwrap();
    std::fs::write(docs.join("b-broken.docx"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(docs.join("c-clean.txt"), NOTICE).unwrap();
    dir
}

/// The same batch as JSON, in order: the reference the tables are checked against.
fn jsonl(dir: &Path) -> Vec<Value> {
    let out = run(&["scan", "docs", "--format", "jsonl"], dir);
    assert_eq!(out.code, 2, "{}", out.stderr);
    reviews(&out.stdout)
}

fn text(row: &[Data], col: usize) -> String {
    row.get(col).map(|d| d.to_string()).unwrap_or_default()
}

fn number(row: &[Data], col: usize) -> f64 {
    match row.get(col) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("column {col} is not a number: {other:?}"),
    }
}

fn rows(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = wb.worksheet_range(sheet).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "{sheet} starts at A1");
    range.rows().map(|r| r.to_vec()).collect()
}

fn count(review: &Value, level: &str) -> f64 {
    review["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == level)
        .count() as f64
}

#[test]
fn the_ledger_workbook_reads_back_as_a_reviewer_expects() {
    let dir = batch();
    let d = dir.path();
    let reference = jsonl(d);
    let out = run(
        &["scan", "docs", "--format", "xlsx", "--out", "台账.xlsx"],
        d,
    );
    assert_eq!(out.code, 2, "an unreadable file still makes exit 2");
    assert!(out.stdout.is_empty());

    let mut wb: Xlsx<_> = open_workbook(d.join("台账.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["台账", "问题清单", "统计"]);

    // 台账: one row per document, in batch order.
    let ledger = rows(&mut wb, "台账");
    assert_eq!(ledger[0], LEDGER_HEADER.map(|h| Data::String(h.into())));
    assert_eq!(ledger.len(), 1 + reference.len());
    for (i, (row, r)) in ledger[1..].iter().zip(&reference).enumerate() {
        assert_eq!(number(row, 0), (i + 1) as f64);
        assert_eq!(text(row, 1), r["path"].as_str().unwrap());
    }
    let (bad, broken, clean) = (&ledger[1], &ledger[2], &ledger[3]);

    assert_eq!(text(bad, 2), "青禾市商务局关于促进会展业高质量发展的通知");
    assert_eq!(text(bad, 3), "青商发〔2024〕3号");
    match bad.get(5) {
        Some(Data::DateTime(dt)) => {
            assert!(dt.is_datetime());
            assert_eq!(dt.as_f64(), MARCH_18_2024);
        }
        other => panic!("成文日期 is not a date cell: {other:?}"),
    }
    assert_eq!(text(bad, 6), "txt");
    assert_eq!(number(bad, 7), reference[0]["chars"].as_f64().unwrap());
    let errors = count(&reference[0], "error");
    assert!(errors >= 2.0, "the fixture must stay violating");
    assert_eq!(number(bad, 8), errors);
    assert_eq!(number(bad, 9), count(&reference[0], "warning"));
    assert_eq!(number(bad, 10), count(&reference[0], "suggestion"));
    assert!(text(bad, 11).contains("10(2)"), "{}", text(bad, 11));
    assert_eq!(text(bad, 12), "修改后出台");
    assert!(text(bad, 13).contains(&format!("错误 {errors} 处")));
    assert_eq!(text(bad, 14), "待审查");

    assert_eq!(text(broken, 12), "", "no conclusion for an unreadable file");
    assert!(
        text(broken, 14).starts_with("无法读取："),
        "{}",
        text(broken, 14)
    );
    assert_eq!(broken.get(8), Some(&Data::Empty), "no counts either");

    assert_eq!(number(clean, 8) + number(clean, 9), 0.0);
    assert_eq!(text(clean, 12), "可以出台");
    assert_eq!(text(clean, 14), "待审查");
    assert_eq!(text(clean, 4), "青禾市人民政府");

    // 问题清单: one row per finding, in order, with the reviewer's column empty.
    let findings = rows(&mut wb, "问题清单");
    assert_eq!(findings[0], FINDINGS_HEADER.map(|h| Data::String(h.into())));
    let expected: Vec<&Value> = reference
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .collect();
    assert_eq!(findings.len(), 1 + expected.len());
    for (row, f) in findings[1..].iter().zip(&expected) {
        assert_eq!(text(row, 0), reference[0]["path"].as_str().unwrap());
        assert!(text(row, 2).starts_with(f["clause"].as_str().unwrap()));
        assert_eq!(text(row, 3), f["text"].as_str().unwrap());
        assert!(
            text(row, 4).starts_with("《公平竞争审查条例》第"),
            "{}",
            text(row, 4)
        );
        assert_eq!(text(row, 5), "错误");
        assert!((number(row, 6) - f["confidence"].as_f64().unwrap()).abs() < 1e-6);
        assert_eq!(text(row, 10), f["rule"].as_str().unwrap());
        assert!(row.get(11).is_none_or(|c| *c == Data::Empty));
    }
    assert!(
        findings[1..]
            .iter()
            .any(|r| text(r, 4).starts_with("《公平竞争审查条例》第十条第（二）项 "))
    );

    // 统计: every item listed with its title, the counts matching the findings.
    let stats = rows(&mut wb, "统计");
    assert_eq!(text(&stats[0], 0), "条目");
    let items: Vec<&Vec<Data>> = stats[1..]
        .iter()
        .take_while(|r| !text(r, 0).is_empty())
        .collect();
    assert_eq!(items.len(), 19, "all 19 items of Articles 8–11");
    for row in &items {
        let code = text(row, 0);
        assert!(!text(row, 2).is_empty(), "{code} has a title");
        let listed = expected
            .iter()
            .filter(|f| format!("{}({})", f["article"], f["item"]) == code)
            .count();
        assert_eq!(number(row, 4), listed as f64, "{code}");
    }
    assert_eq!(text(items[0], 0), "8(1)");
    let issuer_header = stats.iter().position(|r| text(r, 0) == "发文机关").unwrap();
    assert!(
        stats[issuer_header..]
            .iter()
            .any(|r| text(r, 0) == "青禾市人民政府" && number(r, 1) == 1.0)
    );
    assert!(
        stats
            .iter()
            .any(|r| text(r, 0) == "无法读取" && number(r, 1) == 1.0)
    );
}

#[test]
fn xlsx_needs_an_output_file() {
    let dir = batch();
    let out = run(&["scan", "docs", "--format", "xlsx"], dir.path());
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("--out"), "{}", out.stderr);
    let check = run(
        &["check", "docs/c-clean.txt", "--format", "xlsx"],
        dir.path(),
    );
    assert_eq!(check.code, 2);
}

#[test]
fn check_writes_a_one_document_ledger() {
    let dir = batch();
    let d = dir.path();
    let out = run(
        &[
            "check",
            "docs/c-clean.txt",
            "--format",
            "xlsx",
            "-o",
            "one.xlsx",
        ],
        d,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut wb: Xlsx<_> = open_workbook(d.join("one.xlsx")).unwrap();
    let ledger = rows(&mut wb, "台账");
    assert_eq!(ledger.len(), 2);
    assert_eq!(text(&ledger[1], 12), "可以出台");
}

#[test]
fn the_csv_findings_list_opens_in_excel_and_parses_back() {
    let dir = batch();
    let d = dir.path();
    let reference = jsonl(d);
    let out = fairscan()
        .args(["scan", "docs", "--format", "csv"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let bytes = out.stdout;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");

    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(reader.headers().unwrap(), FINDINGS_HEADER.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();

    let mut expected = Vec::new();
    for r in &reference {
        let path = r["path"].as_str().unwrap();
        if r["error"].is_null() {
            for f in r["findings"].as_array().unwrap() {
                expected.push((path, f["text"].as_str().unwrap(), "错误"));
            }
        } else {
            expected.push((path, "", "无法读取"));
        }
    }
    let got: Vec<(&str, &str, &str)> = records.iter().map(|r| (&r[0], &r[3], &r[5])).collect();
    assert_eq!(got, expected);
    // The name with a comma and quotes survived as one field.
    assert!(records[0][0].ends_with("a-违规,\"初稿\".txt"));
    let broken = records.iter().find(|r| &r[5] == "无法读取").unwrap();
    assert!(broken[8].starts_with("文件无法读取（"), "{}", &broken[8]);
    assert_eq!(records[0].len(), 12);

    // To a file with --out, the same bytes.
    let file = run(&["scan", "docs", "--format", "csv", "-o", "list.csv"], d);
    assert_eq!(file.code, 2);
    assert_eq!(std::fs::read(d.join("list.csv")).unwrap(), bytes);
}
