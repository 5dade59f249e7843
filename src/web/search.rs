//! 检索: a search box with facets (item, level, status, issuer, year),
//! highlighted snippets and links into each review.

use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::views::layout::{Nav, frame};
use super::views::{
    esc, file_name, item_citation, item_title, level_class, push_esc, status_label, url_encode,
};
use super::{AppState, Inner, WebError, blocking};
use crate::index::search::FacetCount;
use crate::index::{Filters, Hit, IndexError, SearchResults};
use crate::review::Level;

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 200;

/// The search form's fields (also the API's query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    /// `article/item`, e.g. `10/2`, or only the article.
    pub item: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub year: Option<String>,
    pub limit: Option<usize>,
}

impl SearchParams {
    fn filters(&self) -> Result<Filters, WebError> {
        let mut filters = Filters::default();
        if let Some(item) = nonempty(&self.item) {
            let (a, i) = match item.split_once('/') {
                Some((a, i)) => (a, Some(i)),
                None => (item, None),
            };
            let article = a
                .parse::<u8>()
                .ok()
                .filter(|a| (8..=11).contains(a))
                .ok_or_else(|| WebError::bad_request("条目应写成“条/项”，如 10/2，条为 8–11"))?;
            filters.article = Some(article);
            filters.item = match i {
                Some(i) => Some(
                    i.parse::<u8>()
                        .map_err(|_| WebError::bad_request("项应为数字，如 10/2"))?,
                ),
                None => None,
            };
        }
        if let Some(level) = nonempty(&self.level) {
            if !["error", "warning", "suggestion"].contains(&level) {
                return Err(WebError::bad_request(
                    "等级应为 error、warning 或 suggestion",
                ));
            }
            filters.level = Some(level.to_string());
        }
        if let Some(status) = nonempty(&self.status) {
            if crate::store::Status::parse(status).is_none() {
                return Err(WebError::bad_request(
                    "状态应为 open、confirmed、dismissed 或 fixed",
                ));
            }
            filters.status = Some(status.to_string());
        }
        filters.issuer = nonempty(&self.issuer).map(str::to_string);
        if let Some(year) = nonempty(&self.year) {
            if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
                return Err(WebError::bad_request("年份应为四位数字"));
            }
            filters.since = Some(year.to_string());
            filters.until = Some(year.to_string());
        }
        Ok(filters)
    }

    /// The query string with `name` set to `value` (or removed for `None`).
    fn with(&self, name: &str, value: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let current = [
            ("q", Some(self.q.as_str())),
            ("item", self.item.as_deref()),
            ("level", self.level.as_deref()),
            ("status", self.status.as_deref()),
            ("issuer", self.issuer.as_deref()),
            ("year", self.year.as_deref()),
        ];
        for (k, v) in current {
            let v = if k == name { value } else { v };
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k, v.to_string()));
            }
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("/search?{}", query.join("&"))
    }
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Runs a search on an index that has caught up with every saved decision.
pub fn run(s: &Inner, params: &SearchParams) -> Result<SearchResults, WebError> {
    let filters = params.filters()?;
    s.indexer.flush(&s.index)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    s.index
        .search(&params.q, &filters, limit)
        .map_err(|e| match e {
            IndexError::Query(_) => WebError::bad_request(e.to_string()),
            e => WebError::internal(e),
        })
}

pub async fn page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, WebError> {
    blocking(&state, move |s| {
        let results = run(s, &params)?;
        Ok(Html(render(s, &params, &results)))
    })
    .await
}

fn render(s: &Inner, params: &SearchParams, r: &SearchResults) -> String {
    let mut body =
        String::from("<h1>检索</h1><form class=\"search\" method=\"get\" action=\"/search\">");
    body.push_str("<input type=\"search\" name=\"q\" placeholder=\"如：本地企业 优先、\u{201c}地方留成\u{201d}、title:招标\" value=\"");
    push_esc(&mut body, &params.q);
    body.push_str("\" aria-label=\"检索词\">");
    for (k, v) in [
        ("item", &params.item),
        ("level", &params.level),
        ("status", &params.status),
        ("issuer", &params.issuer),
        ("year", &params.year),
    ] {
        if let Some(v) = nonempty(v) {
            let _ = write!(
                body,
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                esc(v)
            );
        }
    }
    body.push_str("<button type=\"submit\">检索</button></form>");
    let _ = write!(
        body,
        "<p class=\"muted\">问题条款 {} 处，文件 {} 个，用时 {:.1} 毫秒。</p>",
        r.findings_total, r.documents_total, r.took_ms
    );
    body.push_str("<div class=\"search-layout\"><aside class=\"facets\">");
    facets(&mut body, s, params, r);
    body.push_str("</aside><section class=\"hits\"><h2>问题条款</h2>");
    if r.findings.is_empty() {
        body.push_str("<p class=\"muted\">没有匹配的问题条款。</p>");
    }
    for hit in &r.findings {
        finding_hit(&mut body, s, hit, sentence_of(s, hit).as_deref());
    }
    body.push_str("<h2>文件</h2>");
    if r.documents.is_empty() {
        body.push_str("<p class=\"muted\">没有匹配的文件。</p>");
    }
    for hit in &r.documents {
        document_hit(&mut body, hit);
    }
    body.push_str("</section></div>");
    frame("检索", Nav::Search, &body)
}

const FACETS: [(&str, &str); 5] = [
    ("item", "条目"),
    ("level", "等级"),
    ("status", "状态"),
    ("issuer", "发文机关"),
    ("year", "年份"),
];

fn facets(out: &mut String, s: &Inner, params: &SearchParams, r: &SearchResults) {
    for (name, caption) in FACETS {
        let counts: &[FacetCount] = r.facets.get(name).map_or(&[], Vec::as_slice);
        let active = match name {
            "item" => nonempty(&params.item),
            "level" => nonempty(&params.level),
            "status" => nonempty(&params.status),
            "issuer" => nonempty(&params.issuer),
            _ => nonempty(&params.year),
        };
        let _ = write!(
            out,
            "<section class=\"facet\" data-facet=\"{name}\"><h3>{caption}</h3><ul>"
        );
        if let Some(v) = active {
            let _ = write!(
                out,
                "<li class=\"active\">{} <a href=\"{}\" title=\"取消\">×</a></li>",
                esc(&facet_label(s, name, v)),
                esc(&params.with(name, None))
            );
        }
        for c in counts.iter().take(15) {
            if Some(c.value.as_str()) == active {
                continue;
            }
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a> <span class=\"count\">{}</span></li>",
                esc(&params.with(name, Some(&c.value))),
                esc(&facet_label(s, name, &c.value)),
                c.count
            );
        }
        out.push_str("</ul></section>");
    }
}

/// How a facet value reads to a reviewer.
fn facet_label(s: &Inner, facet: &str, value: &str) -> String {
    match facet {
        "item" => {
            let mut parts = value.split('/').map(|p| p.parse::<u8>().ok());
            match (parts.next().flatten(), parts.next().flatten()) {
                (Some(a), Some(i)) => {
                    let title = item_title(&s.config.rules.standards, a, i);
                    format!("{} {title}", item_citation(a, i))
                }
                _ => value.to_string(),
            }
        }
        "level" => match value {
            "error" => Level::Error.label().into(),
            "warning" => Level::Warning.label().into(),
            "suggestion" => Level::Suggestion.label().into(),
            _ => value.into(),
        },
        "status" => status_label(value).into(),
        _ => value.to_string(),
    }
}

/// The flagged sentence of a finding hit, from the store (for hits found
/// by filters alone, which have no snippet).
fn sentence_of(s: &Inner, hit: &Hit) -> Option<String> {
    if !hit.fragment.is_empty() {
        return None;
    }
    let fingerprint = hit.fingerprint.as_deref()?;
    let rows = s.store().findings_matching(fingerprint).ok()?;
    rows.into_iter()
        .find(|r| r.document_id == hit.doc_id as i64 && r.fingerprint == fingerprint)
        .map(|r| r.finding.text)
}

/// The snippet with its matches in `<mark>`, everything escaped here.
fn snippet(out: &mut String, hit: &Hit) {
    let text = &hit.fragment;
    let mut at = 0;
    for range in &hit.highlighted {
        let (Some(before), Some(word)) = (text.get(at..range.start), text.get(range.clone()))
        else {
            continue;
        };
        push_esc(out, before);
        out.push_str("<mark class=\"hl\">");
        push_esc(out, word);
        out.push_str("</mark>");
        at = range.end;
    }
    push_esc(out, text.get(at..).unwrap_or(""));
}

fn finding_hit(out: &mut String, s: &Inner, hit: &Hit, sentence: Option<&str>) {
    let level = match hit.level.as_deref() {
        Some("error") => Level::Error,
        Some("suggestion") => Level::Suggestion,
        _ => Level::Warning,
    };
    let status = hit.status.as_deref().unwrap_or("open");
    let _ = write!(
        out,
        "<article class=\"hit finding {}\" data-fingerprint=\"{}\"><header><span class=\"badge {}\">{}</span> <span class=\"status\" data-status=\"{}\">{}</span> ",
        level_class(level),
        esc(hit.fingerprint.as_deref().unwrap_or("")),
        level_class(level),
        level.label(),
        esc(status),
        status_label(status)
    );
    if let (Some(a), Some(i)) = (hit.article, hit.item) {
        let (a, i) = (a.min(255) as u8, i.min(255) as u8);
        push_esc(out, &item_citation(a, i));
        out.push(' ');
        push_esc(out, item_title(&s.config.rules.standards, a, i));
    }
    out.push_str("</header><p class=\"snippet\">");
    if hit.fragment.is_empty() {
        // The query matched no words of the sentence (filters only): show it whole.
        push_esc(out, sentence.unwrap_or(""));
    } else {
        snippet(out, hit);
    }
    out.push_str("</p>");
    if let Some(reason) = hit.reason.as_deref().filter(|r| !r.is_empty()) {
        out.push_str("<p class=\"reason\">决定理由：");
        push_esc(out, reason);
        out.push_str("</p>");
    }
    let _ = write!(
        out,
        "<p class=\"source\"><a href=\"/reviews/{}\">",
        hit.doc_id
    );
    push_esc(out, hit.title.as_deref().unwrap_or(file_name(&hit.path)));
    out.push_str("</a>");
    if let Some(c) = hit.clause.as_deref().filter(|c| !c.is_empty()) {
        out.push_str(" · ");
        push_esc(out, c);
    }
    out.push_str("</p></article>");
}

fn document_hit(out: &mut String, hit: &Hit) {
    let _ = write!(
        out,
        "<article class=\"hit document\"><header><a href=\"/reviews/{}\">",
        hit.doc_id
    );
    push_esc(out, hit.title.as_deref().unwrap_or(file_name(&hit.path)));
    out.push_str("</a> <span class=\"muted\">");
    for v in [&hit.doc_number, &hit.issuer, &hit.date]
        .into_iter()
        .flatten()
    {
        push_esc(out, v);
        out.push(' ');
    }
    out.push_str("</span></header><p class=\"snippet\">");
    snippet(out, hit);
    out.push_str("</p></article>");
}
