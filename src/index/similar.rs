//! Similar past findings: the sentence's words as an any-of query over the
//! finding texts of other documents, re-ranked by word overlap so only
//! sentences that truly read alike are offered.

use std::collections::HashSet;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::schema::KIND_FINDING;
use super::tokenizer::ZhTokenizer;
use super::{Result, SearchIndex};
use crate::review::Similar;

/// Words of a sentence used in the query (the first ones, in order).
const MAX_QUERY_WORDS: usize = 32;
/// Candidates re-ranked per finding.
const CANDIDATES: usize = 12;
/// Share of distinct words two sentences must have in common (Jaccard).
const MIN_OVERLAP: f32 = 0.35;

/// Distinct words of a sentence, single characters left out (too common).
fn words(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    ZhTokenizer::for_query()
        .tokens(text)
        .into_iter()
        .map(|t| t.text)
        .filter(|w| w.chars().count() >= 2 && seen.insert(w.clone()))
        .collect()
}

fn overlap(a: &HashSet<&str>, b: &HashSet<&str>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / union as f32
}

impl SearchIndex {
    /// Up to `n` findings, outside document `exclude`, whose sentence reads
    /// like `text`, closest first.
    pub fn similar(&self, text: &str, exclude: Option<i64>, n: usize) -> Result<Vec<Similar>> {
        let f = self.fields;
        let mine = words(text);
        if mine.is_empty() || n == 0 {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, KIND_FINDING),
                IndexRecordOption::Basic,
            )),
        )];
        let should: Vec<(Occur, Box<dyn Query>)> = mine
            .iter()
            .take(MAX_QUERY_WORDS)
            .map(|w| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.finding_text, w),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        if let Some(id) = exclude {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.doc_id, id.max(0) as u64),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let searcher = self.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(CANDIDATES).order_by_score(),
        )?;
        let mine: HashSet<&str> = mine.iter().map(String::as_str).collect();
        let mut found: Vec<Similar> = Vec::new();
        let mut seen = HashSet::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let theirs_text = get(f.finding_text).unwrap_or_default();
            let theirs = words(&theirs_text);
            let theirs: HashSet<&str> = theirs.iter().map(String::as_str).collect();
            let score = overlap(&mine, &theirs);
            let doc_id = doc.get_first(f.doc_id).and_then(|v| v.as_u64());
            if score < MIN_OVERLAP || !seen.insert((doc_id, theirs_text.clone())) {
                continue;
            }
            found.push(Similar {
                path: get(f.path).unwrap_or_default(),
                title: get(f.title),
                rule: get(f.rule).unwrap_or_default(),
                clause: get(f.clause).unwrap_or_default(),
                text: theirs_text,
                status: get(f.status).unwrap_or_else(|| "open".into()),
                reason: get(f.reason),
                score: (score * 100.0).round() / 100.0,
            });
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        found.truncate(n);
        Ok(found)
    }
}
