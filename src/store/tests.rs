use std::path::Path;

use super::*;
use crate::review::Review;
use crate::rules::RuleSet;

fn review_of(text: &str, path: &str) -> Review {
    let doc = crate::document::Document::from_text(text);
    let mut review = Review::of_document(
        path.to_string(),
        crate::extract::Format::Text,
        "abc".into(),
        &doc,
    );
    review.findings = RuleSet::embedded().evaluate_text(text);
    review
}

const FLAGGED: &str = "对本地企业给予奖励，外地企业不得参与投标。";

#[test]
fn a_review_round_trips_and_replaces_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let review = review_of(FLAGGED, "a.txt");
    assert!(
        !review.findings.is_empty(),
        "the sample must raise findings"
    );
    let key = Path::new("/docs/a.txt");
    let id = store
        .save_review(key, &review, Some((FLAGGED, &[])), "v1", None)
        .unwrap();
    let stored = store.load(id, None, true).unwrap().unwrap();
    assert_eq!(stored.review, review);
    assert_eq!(stored.text.as_deref(), Some(FLAGGED));
    assert_eq!(
        store.known("v1").unwrap().get(key).map(String::as_str),
        Some("abc")
    );
    assert!(store.known("v2").unwrap().is_empty());

    let clean = review_of("各单位认真贯彻执行。", "a.txt");
    let again = store.save_review(key, &clean, None, "v1", None).unwrap();
    assert_eq!(again, id, "same file, same row");
    assert!(
        store
            .load(id, Some("b.txt"), false)
            .unwrap()
            .unwrap()
            .review
            .findings
            .is_empty()
    );
    assert_eq!(store.document_count().unwrap(), 1);
}

#[test]
fn decisions_follow_the_finding_and_close_when_it_vanishes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let key = Path::new("/docs/a.txt");
    let review = review_of(FLAGGED, "a.txt");
    let id = store.save_review(key, &review, None, "v1", None).unwrap();
    let fp = crate::baseline::fingerprint(&review.findings[0]);
    let before = store.sequence().unwrap();
    store
        .decide(id, &fp, Status::Confirmed, "确有违反", "张三")
        .unwrap();
    assert!(store.sequence().unwrap() > before);
    assert!(
        store
            .changed_since(before)
            .unwrap()
            .iter()
            .any(|(d, _)| *d == id)
    );
    assert!(
        store
            .decide(id, &fp, Status::Dismissed, " ", "张三")
            .is_err()
    );

    // Re-saved with the same finding: the decision carries over.
    store.save_review(key, &review, None, "v1", None).unwrap();
    assert_eq!(
        store.decision(id, &fp).unwrap().unwrap().status,
        Status::Confirmed
    );
    // The clause was rewritten: the decision becomes fixed.
    let clean = review_of("各单位认真贯彻执行。", "a.txt");
    store.save_review(key, &clean, None, "v1", None).unwrap();
    assert_eq!(
        store.decision(id, &fp).unwrap().unwrap().status,
        Status::Fixed
    );
}

#[test]
fn reopening_keeps_data_and_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        let batch = store.begin_batch("v1", &["docs".into()]).unwrap();
        let review = review_of(FLAGGED, "a.txt");
        store
            .save_review(Path::new("/a"), &review, None, "v1", Some(batch))
            .unwrap();
        store.finish_batch(batch, BatchCounts::default()).unwrap();
    }
    assert_eq!(
        Store::open(dir.path()).unwrap().document_count().unwrap(),
        1
    );
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

#[test]
fn every_decision_is_kept_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let review = review_of(FLAGGED, "a.txt");
    let id = store
        .save_review(Path::new("/a"), &review, None, "v1", None)
        .unwrap();
    let fp = crate::baseline::fingerprint(&review.findings[0]);
    store.decide(id, &fp, Status::Confirmed, "", "甲").unwrap();
    store
        .decide(id, &fp, Status::Dismissed, "有依据", "乙")
        .unwrap();
    let history = store.history(id, &fp).unwrap();
    let seen: Vec<(Status, &str)> = history
        .iter()
        .map(|d| (d.status, d.reviewer.as_str()))
        .collect();
    assert_eq!(seen, [(Status::Confirmed, "甲"), (Status::Dismissed, "乙")]);
    assert_eq!(
        store.decision(id, &fp).unwrap().unwrap().status,
        Status::Dismissed
    );
}

#[test]
fn batches_and_documents_are_listed_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let batch = store.begin_batch("v1", &["docs".into()]).unwrap();
    let review = review_of(FLAGGED, "a.txt");
    let id = store
        .save_review(Path::new("/a"), &review, None, "v1", Some(batch))
        .unwrap();
    store
        .finish_batch(
            batch,
            BatchCounts {
                files: 1,
                analysed: 1,
                ..BatchCounts::default()
            },
        )
        .unwrap();
    let listed = store.batches(10).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].counts.files, 1);
    assert_eq!(listed[0].inputs, ["docs"]);
    let total: usize = listed[0].findings.iter().sum();
    assert_eq!(total, review.findings.len());
    let docs = store.documents_in(Some(batch)).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, id);
    assert_eq!(
        store.finding_facts(None).unwrap().len(),
        review.findings.len()
    );
    assert!(store.documents_in(Some(batch + 1)).unwrap().is_empty());
}
