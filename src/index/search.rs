//! Running a search: ranked document hits and finding hits with highlighted
//! snippets, plus facet counts (findings by article, item, level and status;
//! documents by issuer, year and format).

use std::collections::BTreeMap;
use std::ops::{Bound, Range};
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::entries::date_number;
use super::query::rewrite;
use super::schema::{Fields, KIND_DOCUMENT, KIND_FINDING};
use super::tokenizer::ZhTokenizer;
use super::{IndexError, Result, SearchIndex};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 120;

/// Restrictions applied on top of the query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub article: Option<u8>,
    pub item: Option<u8>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    /// Inclusive bounds on the document date, `YYYY[-MM[-DD]]`.
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: String,
    pub score: f32,
    pub doc_id: u64,
    pub path: String,
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The snippet as HTML: text escaped, matches in `<b>`.
    pub snippet: String,
    /// The snippet as plain text, and the byte ranges of the matches in it.
    #[serde(skip)]
    pub fragment: String,
    #[serde(skip)]
    pub highlighted: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub documents_total: usize,
    pub findings_total: usize,
    pub documents: Vec<Hit>,
    pub findings: Vec<Hit>,
    /// Facet name → counts, most frequent first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    pub took_ms: f64,
}

impl SearchIndex {
    /// Parses the reviewer's query (see `query`) with the filters into one query.
    pub fn parse(&self, input: &str, filters: &Filters) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        if let Some(text) = rewrite(input, &ZhTokenizer::for_query()) {
            let mut parser = QueryParser::new(
                self.index.schema(),
                f.default_search(),
                self.query_tokenizers.clone(),
            );
            parser.set_conjunction_by_default();
            parser.set_field_boost(f.title, 3.0);
            parser.set_field_boost(f.doc_number, 2.0);
            parser.set_field_boost(f.finding_text, 1.5);
            let q = parser
                .parse_query(&text)
                .map_err(|e| IndexError::Query(format!("{e}（{text}）")))?;
            must.push(q);
        }
        if let Some(a) = filters.article {
            let mut path = vec!["article".to_string(), a.to_string()];
            if let Some(i) = filters.item {
                path.push(i.to_string());
            }
            must.push(facet_query(f, Facet::from_path(path)));
        }
        if let Some(l) = &filters.level {
            must.push(facet_query(f, Facet::from_path(["level", l.as_str()])));
        }
        if let Some(s) = &filters.status {
            must.push(facet_query(f, Facet::from_path(["status", s.as_str()])));
        }
        if let Some(issuer) = &filters.issuer {
            must.push(self.words_in(f.issuer, issuer)?);
        }
        if filters.since.is_some() || filters.until.is_some() {
            let bound = |d: &Option<String>, end: bool| -> Result<Bound<Term>> {
                let Some(d) = d else {
                    return Ok(Bound::Unbounded);
                };
                let n = date_number(d).ok_or_else(|| {
                    IndexError::Query(format!("日期 {d} 的格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD"))
                })?;
                // `--until 2024` covers the whole year, `--until 2024-05` the month.
                let n = if end { fill_up(n) } else { n };
                Ok(Bound::Included(Term::from_field_u64(f.date_num, n)))
            };
            must.push(Box::new(RangeQuery::new(
                bound(&filters.since, false)?,
                bound(&filters.until, true)?,
            )));
        }
        if must.is_empty() {
            return Ok(Box::new(AllQuery));
        }
        Ok(Box::new(BooleanQuery::new(
            must.into_iter().map(|q| (Occur::Must, q)).collect(),
        )))
    }

    /// The words of `value` in order, in one field.
    fn words_in(&self, field: tantivy::schema::Field, value: &str) -> Result<Box<dyn Query>> {
        let terms: Vec<Term> = ZhTokenizer::for_query()
            .tokens(value)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect();
        Ok(match terms.len() {
            0 => Box::new(AllQuery),
            1 => Box::new(TermQuery::new(
                terms
                    .into_iter()
                    .next()
                    .ok_or_else(|| IndexError::Query(value.into()))?,
                IndexRecordOption::Basic,
            )),
            _ => Box::new(PhraseQuery::new(terms)),
        })
    }

    /// Runs a search: up to `limit` hits of each kind, with facet counts.
    pub fn search(&self, input: &str, filters: &Filters, limit: usize) -> Result<SearchResults> {
        let started = Instant::now();
        let f = self.fields;
        let query = self.parse(input, filters)?;
        let searcher = self.searcher();
        let limit = limit.max(1);
        let of_kind = |kind: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.kind, kind),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]))
        };
        let doc_query = of_kind(KIND_DOCUMENT);
        let finding_query = of_kind(KIND_FINDING);

        let mut doc_facets = FacetCollector::for_field("facet");
        for root in ["issuer", "year", "format"] {
            doc_facets.add_facet(Facet::from_path([root]));
        }
        let mut finding_facets = FacetCollector::for_field("facet");
        for root in ["article", "level", "status"] {
            finding_facets.add_facet(Facet::from_path([root]));
        }
        // Items are counted apart: one collector cannot count a facet and its children.
        let mut item_facets = FacetCollector::for_field("facet");
        for article in 8..=11u8 {
            item_facets.add_facet(Facet::from_path([
                "article".to_string(),
                article.to_string(),
            ]));
        }
        let top = TopDocs::with_limit(limit).order_by_score();
        let (doc_top, documents_total, doc_counts) =
            searcher.search(&doc_query, &(top, Count, doc_facets))?;
        let top = TopDocs::with_limit(limit).order_by_score();
        let (finding_top, findings_total, finding_counts, item_counts) =
            searcher.search(&finding_query, &(top, Count, finding_facets, item_facets))?;

        let snippets = Snippets::new(&searcher, query.as_ref(), &f)?;
        let documents = hits(&searcher, &f, &doc_top, |d| snippets.document(d))?;
        let findings = hits(&searcher, &f, &finding_top, |d| snippets.finding(d))?;

        let mut facets = BTreeMap::new();
        for (name, counts, root) in [
            ("article", &finding_counts, vec!["article".to_string()]),
            ("level", &finding_counts, vec!["level".to_string()]),
            ("status", &finding_counts, vec!["status".to_string()]),
            ("issuer", &doc_counts, vec!["issuer".to_string()]),
            ("year", &doc_counts, vec!["year".to_string()]),
            ("format", &doc_counts, vec!["format".to_string()]),
        ] {
            facets.insert(name.to_string(), counted(counts, Facet::from_path(root)));
        }
        let mut items = Vec::new();
        for article in 8..=11u8 {
            // `article/item`, e.g. `10/2`: item numbers repeat across articles.
            items.extend(
                counted(
                    &item_counts,
                    Facet::from_path(["article".to_string(), article.to_string()]),
                )
                .into_iter()
                .map(|c| FacetCount {
                    value: format!("{article}/{}", c.value),
                    count: c.count,
                }),
            );
        }
        items.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        facets.insert("item".to_string(), items);

        Ok(SearchResults {
            query: input.to_string(),
            documents_total,
            findings_total,
            documents,
            findings,
            facets,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }
}

/// `YYYY0000` → `YYYY1231`, `YYYYMM00` → `YYYYMM31`: an upper bound covers
/// the whole year or month it names.
fn fill_up(n: u64) -> u64 {
    if n.is_multiple_of(10_000) {
        n + 1231
    } else if n.is_multiple_of(100) {
        n + 31
    } else {
        n
    }
}

fn facet_query(f: &Fields, facet: Facet) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(f.facets, &facet),
        IndexRecordOption::Basic,
    ))
}

/// Children of `root` with their counts, most frequent first; the value is the
/// path below the root joined with '/', e.g. `10/2` under `/article`.
fn counted(counts: &tantivy::collector::FacetCounts, root: Facet) -> Vec<FacetCount> {
    let depth = root.to_path().len();
    let mut out: Vec<FacetCount> = counts
        .get(root)
        .map(|(facet, count)| FacetCount {
            value: facet.to_path().get(depth..).unwrap_or_default().join("/"),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    out
}

struct Snippets {
    body: SnippetGenerator,
    title: SnippetGenerator,
    finding: SnippetGenerator,
    explanation: SnippetGenerator,
}

impl Snippets {
    fn new(searcher: &Searcher, query: &dyn Query, f: &Fields) -> Result<Snippets> {
        let make = |field| -> Result<SnippetGenerator> {
            let mut g = SnippetGenerator::create(searcher, query, field)?;
            g.set_max_num_chars(SNIPPET_CHARS);
            Ok(g)
        };
        Ok(Snippets {
            body: make(f.body)?,
            title: make(f.title)?,
            finding: make(f.finding_text)?,
            explanation: make(f.explanation)?,
        })
    }

    fn document(&self, doc: &TantivyDocument) -> Snippet {
        best([&self.body, &self.title], doc)
    }

    fn finding(&self, doc: &TantivyDocument) -> Snippet {
        best([&self.finding, &self.explanation], doc)
    }
}

/// The first snippet with a highlighted match, else the first non-empty one.
fn best<const N: usize>(gens: [&SnippetGenerator; N], doc: &TantivyDocument) -> Snippet {
    let mut fallback = None;
    for g in gens {
        let s = g.snippet_from_doc(doc);
        if !s.highlighted().is_empty() {
            return s;
        }
        if fallback.is_none() && !s.fragment().is_empty() {
            fallback = Some(s);
        }
    }
    fallback.unwrap_or_else(Snippet::empty)
}

fn hits<F>(
    searcher: &Searcher,
    f: &Fields,
    top: &[(f32, DocAddress)],
    snippet: F,
) -> Result<Vec<Hit>>
where
    F: Fn(&TantivyDocument) -> Snippet,
{
    let mut out = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let s = snippet(&doc);
        out.push(Hit {
            kind: text(f.kind).unwrap_or_default(),
            score: *score,
            doc_id: number(f.doc_id).unwrap_or_default(),
            path: text(f.path).unwrap_or_default(),
            title: text(f.title),
            doc_number: text(f.doc_number),
            issuer: text(f.issuer),
            date: text(f.date),
            fingerprint: text(f.fingerprint),
            rule: text(f.rule),
            article: number(f.article),
            item: number(f.item),
            level: text(f.level),
            status: text(f.status),
            clause: text(f.clause),
            reason: text(f.reason),
            snippet: s.to_html(),
            fragment: s.fragment().to_string(),
            highlighted: s.highlighted().to_vec(),
        });
    }
    Ok(out)
}
