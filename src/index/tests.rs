use std::path::Path;

use super::*;
use crate::review::Review;
use crate::rules::RuleSet;
use crate::store::{Status, Store};

const DOCS: &[(&str, &str, &str)] = &[
    (
        "/d/a.txt",
        "青禾市促进民营经济发展若干措施",
        "对在本市注册的企业给予奖励资金。外地企业参与政府采购须在本地设立分支机构。税收地方留成部分予以返还。",
    ),
    (
        "/d/b.txt",
        "临溪市招商引资优惠政策",
        "对新引进企业按其缴纳税收地方留成部分的百分之五十给予奖励。",
    ),
    (
        "/d/c.txt",
        "云岭县粮食流通保供实施方案",
        "各部门加强粮食市场监测预警，做好应急保供工作。",
    ),
];

fn review_of(path: &str, title: &str, text: &str) -> Review {
    let full = format!("{title}\n{text}");
    let doc = crate::document::Document::from_text(&full);
    let mut review =
        Review::of_document(path.into(), crate::extract::Format::Text, "x".into(), &doc);
    review.meta.title = Some(title.into());
    review.meta.issuer = Some(format!("{}人民政府", &title[..9]));
    review.meta.date = Some("2024-03-18".into());
    review.findings = RuleSet::embedded().evaluate(&doc, crate::segment::Segmenter::global());
    review
}

fn filled(dir: &Path) -> (Store, SearchIndex) {
    let mut store = Store::open(dir).unwrap();
    for (path, title, text) in DOCS {
        let review = review_of(path, title, text);
        let full = format!("{title}\n{text}");
        store
            .save_review(Path::new(path), &review, Some((&full, &[])), "v", None)
            .unwrap();
    }
    let index = SearchIndex::open(dir).unwrap();
    assert_eq!(index.sync(&store).unwrap(), Some(DOCS.len()));
    (store, index)
}

fn paths(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.path.as_str()).collect()
}

#[test]
fn plain_phrase_and_excluding_queries() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, index) = filled(dir.path());
    let none = Filters::default();

    let reward = index.search("奖励", &none, 10).unwrap();
    assert_eq!(reward.documents_total, 2, "{:?}", paths(&reward.documents));
    assert!(reward.documents[0].snippet.contains("<b>奖励</b>"));

    let phrase = index.search("\"地方留成\"", &none, 10).unwrap();
    assert_eq!(phrase.documents_total, 2);
    let excluded = index.search("地方留成 -引进", &none, 10).unwrap();
    assert_eq!(paths(&excluded.documents), ["/d/a.txt"]);
    let either = index.search("粮食 OR 招商引资", &none, 10).unwrap();
    assert_eq!(either.documents_total, 2);
    let both = index.search("粮食 招商引资", &none, 10).unwrap();
    assert_eq!(both.documents_total, 0);
    assert!(
        index
            .search("title:粮食", &none, 10)
            .unwrap()
            .documents_total
            == 1
    );
}

#[test]
fn findings_are_hits_with_facets_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, index) = filled(dir.path());
    let all = index.search("", &Filters::default(), 50).unwrap();
    assert_eq!(all.documents_total, 3);
    assert!(all.findings_total >= 2, "the samples raise findings");
    let articles = &all.facets["article"];
    assert!(!articles.is_empty());
    let open: u64 = all.facets["status"]
        .iter()
        .filter(|c| c.value == "open")
        .map(|c| c.count)
        .sum();
    assert_eq!(open as usize, all.findings_total);

    let first = &all.findings[0];
    let article = first.article.unwrap() as u8;
    let filtered = index
        .search(
            "",
            &Filters {
                article: Some(article),
                item: first.item.map(|i| i as u8),
                ..Filters::default()
            },
            50,
        )
        .unwrap();
    assert!(
        filtered
            .findings
            .iter()
            .all(|h| h.article == Some(article as u64))
    );
    let by_issuer = index
        .search(
            "",
            &Filters {
                issuer: Some("临溪市".into()),
                ..Filters::default()
            },
            50,
        )
        .unwrap();
    assert_eq!(paths(&by_issuer.documents), ["/d/b.txt"]);
    let late = Filters {
        since: Some("2025".into()),
        ..Filters::default()
    };
    assert_eq!(index.search("", &late, 10).unwrap().documents_total, 0);
    let year = Filters {
        since: Some("2024-03".into()),
        until: Some("2024".into()),
        ..Filters::default()
    };
    assert_eq!(index.search("", &year, 10).unwrap().documents_total, 3);
    assert!(
        index
            .search(
                "",
                &Filters {
                    since: Some("昨天".into()),
                    ..Filters::default()
                },
                10
            )
            .is_err()
    );
}

#[test]
fn decisions_reach_the_index_and_a_lagging_index_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, index) = filled(dir.path());
    let before = index.marker().unwrap();
    assert_eq!(before.seq, store.sequence().unwrap());
    let row = store.findings_matching("").unwrap().remove(0);
    store
        .decide(
            row.document_id,
            &row.fingerprint,
            Status::Dismissed,
            "有法律依据",
            "李四",
        )
        .unwrap();
    // The index is behind the store until the next sync.
    assert!(index.marker().unwrap().seq < store.sequence().unwrap());
    assert_eq!(index.sync(&store).unwrap(), Some(1));
    let dismissed = Filters {
        status: Some("dismissed".into()),
        ..Filters::default()
    };
    let hits = index.search("", &dismissed, 10).unwrap();
    assert!(hits.findings_total >= 1);
    assert_eq!(hits.findings[0].reason.as_deref(), Some("有法律依据"));

    // A rebuilt index says the same.
    drop(index);
    std::fs::remove_dir_all(dir.path().join(INDEX_FOLDER)).unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.rebuild(&store, 1).unwrap(), Some(DOCS.len()));
    assert_eq!(
        index.search("", &dismissed, 10).unwrap().findings_total,
        hits.findings_total
    );
}

#[test]
fn similar_findings_come_from_other_documents() {
    let dir = tempfile::tempdir().unwrap();
    let (store, index) = filled(dir.path());
    let a = store.document_id(Path::new("/d/a.txt")).unwrap();
    let similar = index
        .similar("对引进企业按其缴纳税收地方留成部分给予奖励。", a, 3)
        .unwrap();
    assert!(!similar.is_empty());
    assert!(similar.iter().all(|s| s.path != "/d/a.txt"));
    assert!(similar.len() <= 3);
    assert!(index.similar("，。", None, 3).unwrap().is_empty());
}

#[test]
fn a_foreign_or_broken_index_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join(INDEX_FOLDER);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("meta.json"), b"{not json").unwrap();
    let store = Store::open(dir.path()).unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.sync(&store).unwrap(), Some(0));
}

#[test]
fn an_index_of_another_store_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (store, index) = filled(dir.path());
    drop((store, index));
    for name in ["fairscan.db", "fairscan.db-wal", "fairscan.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(name));
    }
    let mut store = Store::open(dir.path()).unwrap();
    let (path, title, text) = DOCS[2];
    let review = review_of(path, title, text);
    store
        .save_review(Path::new(path), &review, Some((text, &[])), "v", None)
        .unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.sync(&store).unwrap(), Some(1));
    let all = index.search("", &Filters::default(), 10).unwrap();
    assert_eq!(paths(&all.documents), [path]);
}
