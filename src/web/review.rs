//! 审查: one document — its text with the flagged sentences highlighted,
//! clause citations in the margin, a findings panel with decisions and
//! similar past findings — plus the list of reviews and the downloads.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};

use super::views::layout::{Nav, frame};
use super::views::text::{self, card_id, mark_id};
use super::views::{
    esc, file_name, item_citation, item_title, level_badges, level_class, push_esc, status_label,
    url_encode,
};
use super::{AppState, Inner, WebError, blocking, paths};
use crate::annotate;
use crate::baseline::fingerprint;
use crate::document::Document;
use crate::extract::{self, sniff};
use crate::form;
use crate::review::{Finding, Level, Review};
use crate::store::{Decision, Status, StoredDocument};

/// Similar past findings shown per finding.
const SIMILAR_SHOWN: usize = 3;

pub const DOCX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A stored review with each finding's decision, as pages and the API show it.
pub struct Loaded {
    pub doc: StoredDocument,
    pub decisions: HashMap<String, Decision>,
}

impl Loaded {
    /// The finding's fingerprint, status and decision.
    pub fn decision_of(&self, f: &Finding) -> (String, Status, Option<&Decision>) {
        let fp = fingerprint(f);
        let d = self.decisions.get(&fp);
        (fp, d.map_or(Status::Open, |d| d.status), d)
    }

    /// The review without the findings reviewers dismissed (for the Word outputs).
    pub fn without_dismissed(&self) -> Review {
        let mut review = self.doc.review.clone();
        review
            .findings
            .retain(|f| self.decision_of(f).1 != Status::Dismissed);
        review
    }
}

/// Loads review `id` with decisions; `live_similar` looks up similar past
/// findings now, so their decisions are current.
pub fn load(s: &Inner, id: i64, with_text: bool, live_similar: bool) -> Result<Loaded, WebError> {
    let (doc, decisions) = {
        let store = s.store();
        let doc = store
            .load(id, None, with_text)
            .map_err(WebError::internal)?
            .ok_or_else(|| WebError::not_found(format!("没有编号为 {id} 的审查记录")))?;
        let decisions = store.decisions_of(id).map_err(WebError::internal)?;
        (doc, decisions)
    };
    let mut loaded = Loaded { doc, decisions };
    if live_similar {
        for f in &mut loaded.doc.review.findings {
            if let Ok(similar) = s.index.similar(&f.text, Some(id), SIMILAR_SHOWN) {
                f.similar = similar;
            }
        }
    }
    Ok(loaded)
}

pub fn parse_id(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| WebError::not_found("审查记录编号应为正整数"))
}

pub async fn list(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    blocking(&state, |s| {
        let rows = s.store().documents_in(None).map_err(WebError::internal)?;
        let mut body = format!(
            "<h1>审查记录</h1><p class=\"muted\">共 {} 个文件。</p>",
            rows.len()
        );
        if rows.is_empty() {
            body.push_str("<p>还没有审查记录：请先在<a href=\"/check\">检查</a>页上传文件。</p>");
        } else {
            documents_table(&mut body, &rows);
        }
        Ok(Html(frame("审查", Nav::Review, &body)))
    })
    .await
}

/// A table of documents linking to their reviews.
pub fn documents_table(out: &mut String, rows: &[crate::store::DocumentRow]) {
    out.push_str("<table class=\"list\"><thead><tr><th>文件</th><th>发文机关</th><th>日期</th><th>问题</th><th>审查时间</th></tr></thead><tbody>");
    for r in rows {
        let _ = write!(out, "<tr><td><a href=\"/reviews/{}\">", r.id);
        push_esc(out, r.title.as_deref().unwrap_or(file_name(&r.path)));
        out.push_str("</a><br><span class=\"muted\">");
        push_esc(out, file_name(&r.path));
        out.push_str("</span></td><td>");
        push_esc(out, r.issuer.as_deref().unwrap_or(""));
        out.push_str("</td><td>");
        push_esc(out, r.date.as_deref().unwrap_or(""));
        out.push_str("</td><td>");
        match &r.error_kind {
            Some(_) => out.push_str("<span class=\"badge failed\">无法审查</span>"),
            None => level_badges(out, r.findings),
        }
        out.push_str("</td><td>");
        push_esc(out, &r.scanned_at);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = parse_id(&id)?;
    blocking(&state, move |s| {
        let loaded = load(s, id, true, true)?;
        Ok(Html(render(s, &loaded)))
    })
    .await
}

fn render(s: &Inner, loaded: &Loaded) -> String {
    let doc = &loaded.doc;
    let review = &doc.review;
    let id = doc.id;
    let title = review
        .meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| file_name(&review.path).to_string());
    let mut body = String::with_capacity(doc.text.as_ref().map_or(0, String::len) * 2 + 8192);
    body.push_str("<div class=\"review-head\"><h1>");
    push_esc(&mut body, &title);
    body.push_str("</h1><dl class=\"meta\">");
    let meta = [
        ("文件", Some(file_name(&review.path))),
        ("文号", review.meta.doc_number.as_deref()),
        ("发文机关", review.meta.issuer.as_deref()),
        ("日期", review.meta.date.as_deref()),
        ("审查时间", Some(doc.scanned_at.as_str())),
    ];
    for (k, v) in meta {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            let _ = write!(body, "<dt>{k}</dt><dd>");
            push_esc(&mut body, v);
            body.push_str("</dd>");
        }
    }
    body.push_str("</dl>");
    let counts = level_counts(&review.findings);
    body.push_str("<p class=\"summary\">");
    level_badges(&mut body, counts);
    body.push_str("</p>");
    let _ = write!(
        body,
        "<p class=\"downloads\">下载：<a href=\"/reviews/{id}/annotated.docx\" download>带批注的 Word 文件</a> · <a href=\"/reviews/{id}/form.docx\" download>公平竞争审查表</a> · <a href=\"/reviews/{id}/review.json\" download>JSON</a></p></div>"
    );
    if let Some(e) = &review.error {
        body.push_str("<section class=\"error\"><h2>无法审查该文件</h2><p>");
        push_esc(&mut body, &e.message);
        body.push_str("</p></section>");
        return frame(&title, Nav::Review, &body);
    }
    for w in &review.warnings {
        body.push_str("<p class=\"warning-note\">注意：");
        push_esc(&mut body, w);
        body.push_str("</p>");
    }
    let findings: Vec<&Finding> = review.findings.iter().collect();
    body.push_str("<div class=\"review\"><section class=\"doc-text\" aria-label=\"文件正文\">");
    match &doc.text {
        Some(t) => text::render(&mut body, t, &findings),
        None => body.push_str("<p class=\"muted\">没有保存该文件的正文。</p>"),
    }
    body.push_str("</section><section class=\"findings\" aria-label=\"问题条款\">");
    let _ = write!(body, "<h2>问题条款（{}）</h2>", findings.len());
    if findings.is_empty() {
        body.push_str("<p>未发现可能排除、限制竞争的条款。</p>");
    }
    for (k, f) in findings.iter().enumerate() {
        card(&mut body, s, loaded, k + 1, f);
    }
    body.push_str("</section></div>");
    frame(&title, Nav::Review, &body)
}

pub fn level_counts(findings: &[Finding]) -> [usize; 3] {
    let count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    [
        count(Level::Error),
        count(Level::Warning),
        count(Level::Suggestion),
    ]
}

fn card(out: &mut String, s: &Inner, loaded: &Loaded, n: usize, f: &Finding) {
    let id = loaded.doc.id;
    let (fp, status, decision) = loaded.decision_of(f);
    let _ = write!(
        out,
        "<article class=\"card {} status-{}\" id=\"{}\" data-finding=\"{id}-{fp}\"><header><a class=\"num\" href=\"#{}\">[{n}]</a> <span class=\"badge {}\">{}</span> <span class=\"status\" data-status=\"{}\">{}</span></header>",
        level_class(f.level),
        status.as_str(),
        card_id(n),
        mark_id(n),
        level_class(f.level),
        f.level.label(),
        status.as_str(),
        status.label()
    );
    let _ = write!(
        out,
        "<p class=\"item\">《公平竞争审查条例》{} ",
        item_citation(f.article, f.item)
    );
    push_esc(
        out,
        item_title(&s.config.rules.standards, f.article, f.item),
    );
    out.push_str("</p>");
    if !f.clause.is_empty() {
        out.push_str("<p class=\"clause\">条款：");
        push_esc(out, &f.clause);
        out.push_str("</p>");
    }
    out.push_str("<blockquote>");
    push_esc(out, &f.text);
    out.push_str("</blockquote><p><b>说明：</b>");
    push_esc(out, &f.explanation);
    out.push_str("</p><p><b>建议：</b>");
    push_esc(out, &f.suggestion);
    out.push_str("</p>");
    out.push_str("<p class=\"decision\" data-decision>");
    if let Some(d) = decision {
        let _ = write!(out, "决定：{}", d.status.label());
        if !d.reason.is_empty() {
            out.push_str("，理由：");
            push_esc(out, &d.reason);
        }
        out.push('（');
        push_esc(out, &d.reviewer);
        out.push('，');
        push_esc(out, &d.decided_at);
        out.push('）');
    }
    out.push_str("</p>");
    if !f.similar.is_empty() {
        let _ = write!(
            out,
            "<details class=\"similar\" open><summary>相似的既往问题（{}）</summary><ul>",
            f.similar.len()
        );
        for sim in &f.similar {
            out.push_str("<li><q>");
            push_esc(out, &sim.text);
            out.push_str("</q><br><span class=\"muted\">");
            push_esc(out, sim.title.as_deref().unwrap_or(file_name(&sim.path)));
            if !sim.clause.is_empty() {
                out.push_str(" · ");
                push_esc(out, &sim.clause);
            }
            let _ = write!(
                out,
                "</span> <span class=\"status\" data-status=\"{}\">{}</span>",
                esc(&sim.status),
                status_label(&sim.status)
            );
            if let Some(r) = &sim.reason {
                out.push_str(" <span class=\"reason\">");
                push_esc(out, r);
                out.push_str("</span>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ul></details>");
    }
    let action = format!("/reviews/{id}/findings/{fp}/decision");
    out.push_str("<div class=\"actions\">");
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{action}\" class=\"decide\"><input type=\"hidden\" name=\"status\" value=\"confirmed\"><button type=\"submit\" class=\"confirm\">确认问题</button></form>"
    );
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{action}\" class=\"decide dismiss\"><input type=\"hidden\" name=\"status\" value=\"dismissed\"><input type=\"text\" name=\"reason\" required placeholder=\"驳回理由（必填）\" aria-label=\"驳回理由\"><button type=\"submit\" class=\"dismiss\">驳回</button></form>"
    );
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{action}\" class=\"decide\"><input type=\"hidden\" name=\"status\" value=\"fixed\"><button type=\"submit\" class=\"fixed\">标记为已修改</button></form>"
    );
    out.push_str("</div></article>\n");
}

/// An attachment download with a Chinese file name.
pub fn attachment(bytes: Vec<u8>, content_type: &str, name: &str, fallback: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        url_encode(name)
    );
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

fn stem(path: &str) -> String {
    let name = file_name(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// The original file's bytes and its extracted document again, read only
/// inside the data folder or an allow-listed root.
fn original(s: &Inner, loaded: &Loaded) -> Result<(Vec<u8>, Document), WebError> {
    let path = paths::checked_file(std::path::Path::new(&loaded.doc.key), &s.data_dir, &s.roots)
        .map_err(|e| WebError::forbidden(format!("无法读取原文件：{e}")))?;
    let limits = &s.config.limits;
    let bytes = extract::read_limited(&path, limits.max_file_bytes)
        .map_err(|e| WebError::not_found(format!("无法读取原文件：{e}")))?;
    let name = file_name(&loaded.doc.review.path).to_string();
    let (_, extracted) = extract::extract_bytes(&bytes, &name, limits);
    let extracted = extracted.map_err(|e| WebError::bad_request(format!("无法读取原文件：{e}")))?;
    Ok((bytes, Document::from_extracted(extracted)))
}

pub async fn annotated(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    blocking(&state, move |s| {
        let loaded = load(s, id, false, false)?;
        let (bytes, document) = original(s, &loaded)?;
        let review = loaded.without_dismissed();
        let name = file_name(&review.path).to_string();
        let format = sniff::sniff(&bytes, &name);
        let (annotated, _warnings) = annotate::annotate(
            &bytes,
            format,
            &name,
            &document,
            &review,
            &s.config.rules.standards,
            &s.config.limits,
        )
        .map_err(|e| WebError::bad_request(format!("无法生成带批注的文件：{e}")))?;
        Ok(attachment(
            annotated.bytes,
            DOCX_TYPE,
            &format!("{}（审查批注）.docx", stem(&review.path)),
            &format!("review-{id}-annotated.docx"),
        ))
    })
    .await
}

pub async fn form(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    blocking(&state, move |s| {
        let loaded = load(s, id, false, false)?;
        let review = loaded.without_dismissed();
        let values =
            form::values::values(&review, &s.config.rules.standards, file_name(&review.path));
        let filled = form::fill(form::DEFAULT_TEMPLATE, &values, &s.config.limits)
            .map_err(|e| WebError::internal(format!("无法填写审查表：{e}")))?;
        Ok(attachment(
            filled.bytes,
            DOCX_TYPE,
            &format!("{}（公平竞争审查表）.docx", stem(&review.path)),
            &format!("review-{id}-form.docx"),
        ))
    })
    .await
}

pub async fn json_download(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    blocking(&state, move |s| {
        let loaded = load(s, id, false, true)?;
        let value = review_json(&loaded);
        let bytes = serde_json::to_vec_pretty(&value).map_err(WebError::internal)?;
        Ok(attachment(
            bytes,
            "application/json",
            &format!("{}（审查结果）.json", stem(&loaded.doc.review.path)),
            &format!("review-{id}.json"),
        ))
    })
    .await
}

/// The review as the API gives it: the JSON contract of `--format jsonl`,
/// each finding with its id for decisions, status and decision.
pub fn review_json(loaded: &Loaded) -> serde_json::Value {
    let id = loaded.doc.id;
    let mut review = serde_json::to_value(&loaded.doc.review).unwrap_or_default();
    if let Some(list) = review.get_mut("findings").and_then(|v| v.as_array_mut()) {
        for (value, f) in list.iter_mut().zip(&loaded.doc.review.findings) {
            let (fp, status, decision) = loaded.decision_of(f);
            if let Some(obj) = value.as_object_mut() {
                obj.insert("finding_id".into(), format!("{id}-{fp}").into());
                obj.insert("fingerprint".into(), fp.into());
                obj.insert("status".into(), status.as_str().into());
                obj.insert(
                    "decision".into(),
                    decision.map_or(serde_json::Value::Null, |d| {
                        serde_json::json!({
                            "status": d.status.as_str(),
                            "reason": d.reason,
                            "reviewer": d.reviewer,
                            "decided_at": d.decided_at,
                        })
                    }),
                );
            }
        }
    }
    serde_json::json!({
        "id": id,
        "url": format!("/reviews/{id}"),
        "scanned_at": loaded.doc.scanned_at,
        "review": review,
    })
}
