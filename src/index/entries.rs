//! Index entries made from one stored review: one for the document, one per
//! finding. Facets carry what results are counted and filtered by.

use std::collections::{BTreeSet, HashMap};

use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use super::schema::{Fields, KIND_DOCUMENT, KIND_FINDING};
use crate::baseline::fingerprint;
use crate::review::Finding;
use crate::store::{Decision, Status, StoredDocument};

/// Longest part of a document's text that is indexed, in bytes. Policy
/// documents are far shorter; a pathological file (a 50 MB single line) must
/// not make indexing hold it all in memory. The store keeps the whole text.
const MAX_INDEXED_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// `text` cut to at most `max` bytes, at a character boundary.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// `YYYY-MM-DD` (or a prefix) as the number `YYYYMMDD`, missing parts as 0.
pub fn date_number(date: &str) -> Option<u64> {
    let mut parts = date.split('-');
    let year: u64 = parts.next()?.trim().parse().ok()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month: u64 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u64 = parts.next().and_then(|d| d.parse().ok()).unwrap_or(0);
    Some(year * 10_000 + month.min(12) * 100 + day.min(31))
}

/// Every entry of a stored document.
pub fn entries(
    f: &Fields,
    doc: &StoredDocument,
    decisions: &HashMap<String, Decision>,
) -> Vec<TantivyDocument> {
    let review = &doc.review;
    let meta = &review.meta;
    let mut shared = TantivyDocument::new();
    shared.add_u64(f.doc_id, doc.id.max(0) as u64);
    shared.add_text(f.path, &review.path);
    for (field, value) in [
        (f.title, &meta.title),
        (f.doc_number, &meta.doc_number),
        (f.issuer, &meta.issuer),
        (f.date, &meta.date),
    ] {
        if let Some(v) = value {
            shared.add_text(field, v);
        }
    }
    let date = meta.date.as_deref().and_then(date_number);
    if let Some(n) = date {
        shared.add_u64(f.date_num, n);
    }
    let mut common_facets = vec![Facet::from_path(["format", review.format.as_str()])];
    if let Some(n) = date {
        common_facets.push(Facet::from_path([
            "year".to_string(),
            (n / 10_000).to_string(),
        ]));
    }
    if let Some(issuer) = meta.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
        common_facets.push(Facet::from_path(["issuer", issuer]));
    }

    let mut out = Vec::with_capacity(review.findings.len() + 1);
    let mut document = shared.clone();
    document.add_text(f.kind, KIND_DOCUMENT);
    if let Some(text) = &doc.text {
        document.add_text(f.body, head(text, MAX_INDEXED_TEXT_BYTES));
    }
    if let Some(e) = &review.error {
        document.add_text(f.explanation, &e.message);
    }
    let mut doc_facets: BTreeSet<Facet> = common_facets.iter().cloned().collect();
    doc_facets.insert(Facet::from_path(["kind", KIND_DOCUMENT]));
    for finding in &review.findings {
        let fp = fingerprint(finding);
        let decision = decisions.get(&fp);
        let status = decision.map_or(Status::Open, |d| d.status);
        let facets = finding_facets(finding, status);
        doc_facets.extend(facets.iter().cloned());

        let mut entry = shared.clone();
        entry.add_text(f.kind, KIND_FINDING);
        entry.add_text(f.fingerprint, &fp);
        entry.add_text(f.finding_text, &finding.text);
        entry.add_text(f.explanation, &finding.explanation);
        entry.add_text(f.explanation, &finding.suggestion);
        entry.add_text(f.rule, &finding.rule);
        entry.add_text(f.clause, &finding.clause);
        entry.add_text(f.level, finding.level.as_str());
        entry.add_text(f.status, status.as_str());
        if let Some(d) = decision {
            entry.add_text(f.reason, &d.reason);
        }
        entry.add_u64(f.article, u64::from(finding.article));
        entry.add_u64(f.item, u64::from(finding.item));
        for facet in common_facets.iter().chain(&facets) {
            entry.add_facet(f.facets, facet.clone());
        }
        entry.add_facet(f.facets, Facet::from_path(["kind", KIND_FINDING]));
        out.push(entry);
    }
    for facet in doc_facets {
        document.add_facet(f.facets, facet);
    }
    out.insert(0, document);
    out
}

fn finding_facets(finding: &Finding, status: Status) -> Vec<Facet> {
    vec![
        Facet::from_path([
            "article".to_string(),
            finding.article.to_string(),
            finding.item.to_string(),
        ]),
        Facet::from_path(["level", finding.level.as_str()]),
        Facet::from_path(["status", status.as_str()]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_sortable_numbers() {
        assert_eq!(date_number("2024-03-18"), Some(20_240_318));
        assert_eq!(date_number("2024"), Some(20_240_000));
        assert_eq!(date_number("2024-3"), Some(20_240_300));
        assert_eq!(date_number("abc"), None);
        assert_eq!(date_number("99999-01-01"), None);
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        assert_eq!(head("奖励资金", 7), "奖励");
        assert_eq!(head("奖励", 100), "奖励");
        assert_eq!(head("奖励", 0), "");
    }
}
