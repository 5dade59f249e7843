//! The bundled corpus against its hand-written expected files: text recovery,
//! clause numbering and metadata for every format.

use std::collections::HashMap;
use std::path::PathBuf;

use fairscan::document::Document;
use fairscan::limits::Limits;
use fairscan::review::Review;
use fairscan::rules::RuleSet;
use fairscan::scan::review_file;

pub struct Case {
    pub id: String,
    pub path: PathBuf,
    pub expected: toml::Table,
    pub source_text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let dir = root().join("corpus/expected");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let expected: toml::Table = std::fs::read_to_string(&f).unwrap().parse().unwrap();
        let id = f.file_stem().unwrap().to_string_lossy().into_owned();
        let source: toml::Table =
            std::fs::read_to_string(root().join(format!("corpus/sources/{id}.toml")))
                .unwrap()
                .parse()
                .unwrap();
        out.push(Case {
            path: root()
                .join("corpus")
                .join(expected["file"].as_str().unwrap()),
            source_text: source["text"].as_str().unwrap().to_string(),
            expected,
            id,
        });
    }
    assert!(out.len() >= 20, "the corpus holds at least 20 documents");
    out
}

pub fn review(case: &Case) -> Result<(Review, Document), String> {
    let (r, doc) = review_file(&case.path, &Limits::default(), RuleSet::embedded());
    doc.map(|d| (r.clone(), d))
        .ok_or_else(|| format!("{}: {:?}", case.id, r.error))
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Share of the source's CJK characters found in the extracted text (as a multiset).
fn cjk_recall(source: &str, extracted: &str) -> f64 {
    let mut have: HashMap<char, i64> = HashMap::new();
    for c in extracted.chars().filter(|&c| is_cjk(c)) {
        *have.entry(c).or_default() += 1;
    }
    let (mut total, mut found) = (0usize, 0usize);
    for c in source.chars().filter(|&c| is_cjk(c)) {
        total += 1;
        let n = have.entry(c).or_default();
        if *n > 0 {
            *n -= 1;
            found += 1;
        }
    }
    found as f64 / total.max(1) as f64
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '［' | '(' | '（' => '〔',
            ']' | '］' | ')' | '）' => '〕',
            '，' | '、' => '、',
            c => c,
        })
        .collect()
}

fn is_subsequence(want: &[String], got: &[String]) -> bool {
    let mut it = got.iter();
    want.iter().all(|w| it.any(|g| g == w))
}

#[test]
fn corpus_extraction_recovers_text_clauses_and_metadata() {
    let cases = cases();
    let mut per_format: HashMap<String, (f64, usize)> = HashMap::new();
    let mut meta_right: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for case in &cases {
        let (r, doc) = match review(case) {
            Ok(x) => x,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let recall = cjk_recall(&case.source_text, &doc.text);
        let e = per_format.entry(r.format.clone()).or_insert((1.0, 0));
        e.0 = e.0.min(recall);
        e.1 += 1;
        if recall < 0.99 {
            problems.push(format!("{}: CJK recall {recall:.4}", case.id));
        }
        let want: Vec<String> = case.expected["structure"]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let got: Vec<String> = doc.clauses.iter().map(|c| c.label.clone()).collect();
        if !is_subsequence(&want, &got) {
            problems.push(format!(
                "{}: clauses\n  want {want:?}\n  got  {got:?}",
                case.id
            ));
        }
        let meta = case.expected["meta"].as_table().unwrap();
        for (field, got) in [
            ("title", &r.meta.title),
            ("doc_number", &r.meta.doc_number),
            ("issuer", &r.meta.issuer),
            ("date", &r.meta.date),
        ] {
            let want = meta[field].as_str().unwrap_or("");
            if squash(got.as_deref().unwrap_or("")) == squash(want) {
                *meta_right.entry(field).or_default() += 1;
            } else {
                eprintln!("{}: {field} got {got:?}, want {want:?}", case.id);
            }
        }
    }
    for (format, (min_recall, n)) in &per_format {
        eprintln!("{format}: {n} documents, lowest CJK recall {min_recall:.4}");
    }
    for field in ["title", "doc_number", "issuer", "date"] {
        let right = meta_right.get(field).copied().unwrap_or(0);
        let share = right as f64 / cases.len() as f64;
        eprintln!("{field}: {right}/{} right ({share:.2})", cases.len());
        if share < 0.95 {
            problems.push(format!("{field} right on only {share:.2} of documents"));
        }
    }
    for f in ["txt", "docx", "pdf", "html"] {
        if !per_format.contains_key(f) {
            problems.push(format!("no {f} document was read"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corpus_findings_meet_the_accuracy_floor() {
    let report = fairscan::eval::eval_corpus(RuleSet::embedded(), &root().join("corpus")).unwrap();
    eprintln!("{}", report.render());
    for note in &report.notes {
        eprintln!("  {note}");
    }
    let o = &report.overall;
    assert!(
        o.precision() >= 0.9,
        "precision {:.3} under 0.9",
        o.precision()
    );
    assert!(o.recall() >= 0.9, "recall {:.3} under 0.9", o.recall());
    assert!(
        o.item_accuracy() >= 0.9,
        "article+item accuracy {:.3}",
        o.item_accuracy()
    );
    // The acceptance bound counts findings at warning level or above; the
    // second opinion's suggestions get a looser bound of their own.
    assert!(
        report.negative_warning_rate() <= 0.1,
        "compliant documents average {:.2} warning+ findings",
        report.negative_warning_rate()
    );
    assert!(
        report.negative_rate() <= 0.2,
        "compliant documents average {:.2} findings with suggestions",
        report.negative_rate()
    );
}

/// Whole documents in every format with planted violations, written by
/// writers who never saw the rule packs (see `corpus/heldout/README.md`).
/// Round 1 guided work on the second opinion's handling of documents after
/// it was first measured; rounds 2 and 3 were measured before and after
/// work and later guided some of it; round 4 has guided nothing; round 5
/// was measured once, then its false alarms guided work. Precision
/// counts findings, so one finding per sentence and item (not one per rule)
/// reads lower than duplicates did. (set, precision, recall, article+item, most
/// warning+ findings per compliant document), just under the README's figures.
const DOCUMENT_FLOORS: [(&str, f64, f64, f64, f64); 5] = [
    ("docs-round1", 0.86, 0.82, 0.88, 0.1),
    ("docs-round2", 0.88, 0.93, 0.88, 0.1),
    ("docs-round3", 0.90, 0.90, 0.88, 0.1),
    ("docs-round4", 0.87, 0.79, 0.83, 0.1),
    ("docs-round5", 0.80, 0.89, 0.88, 0.1),
];

#[test]
fn held_out_documents_do_not_regress() {
    for (set, min_precision, min_recall, min_item, max_warnings) in DOCUMENT_FLOORS {
        let dir = root().join("corpus/heldout").join(set);
        let report = fairscan::eval::eval_corpus(RuleSet::embedded(), &dir).unwrap();
        eprintln!("{set}\n{}", report.render());
        assert_floors(set, &report, (min_precision, min_recall, min_item));
        assert!(
            report.negative_warning_rate() <= max_warnings,
            "{set}: compliant documents average {:.2} warning+ findings",
            report.negative_warning_rate()
        );
    }
}

/// The independently written labeled clauses (every item, every look-alike
/// family). They have all guided the rule packs since, so this floor only
/// guards against regressions; held-out figures come from `heldout/` below.
#[test]
fn labeled_clauses_keep_their_accuracy() {
    let dir = root().join("corpus/labeled");
    let files = ["positives.jsonl", "negatives.jsonl"].map(|f| dir.join(f));
    let report = fairscan::eval::eval_labeled(RuleSet::embedded(), &files).unwrap();
    eprintln!("{}", report.render());
    let o = &report.overall;
    assert!(o.precision() >= 0.95, "precision {:.3}", o.precision());
    assert!(o.recall() >= 0.80, "recall {:.3}", o.recall());
    assert!(
        o.item_accuracy() >= 0.90,
        "article+item accuracy {:.3}",
        o.item_accuracy()
    );
    let flagged = report.negatives_flagged as f64 / report.negatives as f64;
    assert!(flagged <= 0.05, "{flagged:.3} of compliant clauses flagged");
}

/// Clause sets written later, by writers who never saw the rule packs, in
/// six rounds. Round 1 guided a round of rule work after it was first
/// measured; rounds 2–5 each measured the engine untouched, then guided work
/// and joined the second opinion's training data; round 6 was written last
/// and has never guided or trained anything. The floors only guard against
/// regressions below the figures the README reports (and precision must
/// stay high on all six).
#[test]
fn held_out_clause_sets_do_not_regress() {
    let dir = root().join("corpus/labeled/heldout");
    for (round, min_precision, min_recall, min_item) in ROUND_FLOORS {
        let files = ["positives", "negatives"].map(|k| dir.join(format!("{round}-{k}.jsonl")));
        let report = fairscan::eval::eval_labeled(RuleSet::embedded(), &files).unwrap();
        eprintln!("{round}\n{}", report.render());
        assert_floors(round, &report, (min_precision, min_recall, min_item));
        let flagged = report.negatives_flagged as f64 / report.negatives as f64;
        assert!(
            flagged <= 0.07,
            "{round}: {flagged:.3} of compliant clauses flagged"
        );
    }
}

/// Precision, recall and article+item accuracy of a held-out set reach
/// their floors.
fn assert_floors(set: &str, report: &fairscan::eval::Report, floors: (f64, f64, f64)) {
    let o = &report.overall;
    assert!(
        o.precision() >= floors.0,
        "{set}: precision {:.3}",
        o.precision()
    );
    assert!(o.recall() >= floors.1, "{set}: recall {:.3}", o.recall());
    assert!(
        o.item_accuracy() >= floors.2,
        "{set}: article+item accuracy {:.3}",
        o.item_accuracy()
    );
}

/// (round, precision floor, recall floor, article+item floor), rules and
/// second opinion together: a little under what each round measured at the
/// last change (see the README).
const ROUND_FLOORS: [(&str, f64, f64, f64); 7] = [
    ("round1", 0.95, 0.97, 0.97),
    ("round2", 0.95, 0.97, 0.92),
    ("round3", 0.95, 0.97, 0.93),
    ("round4", 0.95, 0.97, 0.92),
    ("round5", 0.95, 0.97, 0.95),
    ("round6", 0.95, 0.95, 0.91),
    ("round7", 0.95, 0.90, 0.89),
];
