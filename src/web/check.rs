//! 检查: upload one or many files; each is reviewed, stored and indexed,
//! and the reviewer lands on its review (or on the list of them).

use std::fmt::Write as _;

use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

use super::upload::{self, Saved};
use super::views::layout::{Nav, frame};
use super::views::{file_name, level_badges, push_esc};
use super::{AppState, WebError, blocking};
use crate::review::Level;
use crate::scan;
use crate::store::BatchCounts;

/// What one uploaded file came to.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// The review's id (`/reviews/{id}`).
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub sha256: String,
    /// Size of the uploaded file.
    pub bytes: u64,
    /// Findings by level.
    pub errors: usize,
    pub warnings: usize,
    pub suggestions: usize,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
    pub url: String,
}

impl Checked {
    pub fn counts(&self) -> [usize; 3] {
        [self.errors, self.warnings, self.suggestions]
    }
}

pub async fn home() -> Redirect {
    Redirect::to("/check")
}

pub async fn page() -> Html<String> {
    let body = r#"<h1>检查文件</h1>
<p>上传一个或多个政策措施文件（.docx、.doc、.wps、.pdf、.ofd、.html、.txt 等），逐条检查可能排除、限制竞争的条款。</p>
<form id="upload" class="upload" method="post" action="/check" enctype="multipart/form-data">
<div class="drop" id="drop">
<p>把文件拖到这里，或选择文件：</p>
<input type="file" id="files" name="files" multiple required>
</div>
<p><button type="submit">开始检查</button></p>
</form>
<ol id="progress" class="progress"></ol>
<p class="muted">上传的文件保存在本机数据目录中，不会发送到其他地方。</p>"#;
    Html(frame("检查", Nav::Check, body))
}

/// The form post: one file lands on its review, several on a list.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, WebError> {
    let checked = receive(&state, &headers, form).await?;
    if let [one] = checked.as_slice() {
        return Ok(Redirect::to(&one.url).into_response());
    }
    let mut body = String::from("<h1>检查结果</h1><ul class=\"docs\">");
    for c in &checked {
        let _ = write!(body, "<li><a href=\"{}\">", c.url);
        push_esc(&mut body, c.title.as_deref().unwrap_or(&c.name));
        body.push_str("</a> <span class=\"muted\">");
        push_esc(&mut body, &c.name);
        body.push_str("</span> ");
        match &c.error {
            Some(e) => {
                body.push_str("<span class=\"badge failed\">");
                push_esc(&mut body, e);
                body.push_str("</span>");
            }
            None => level_badges(&mut body, c.counts()),
        }
        body.push_str("</li>");
    }
    body.push_str("</ul><p><a href=\"/check\">继续上传</a></p>");
    Ok(Html(frame("检查结果", Nav::Check, &body)).into_response())
}

/// Saves and reviews the files of an upload form (shared with the API).
pub async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    form: Multipart,
) -> Result<Vec<Checked>, WebError> {
    let limit = state.config.max_upload_bytes;
    upload::check_length(headers, limit)?;
    let saved = upload::save_all(form, &state.uploads, limit).await?;
    if saved.is_empty() {
        return Err(WebError::bad_request("没有收到文件：请选择要检查的文件"));
    }
    review_uploads(state, saved).await
}

/// Reviews the saved files as one batch, in parallel up to one per core.
async fn review_uploads(state: &AppState, saved: Vec<Saved>) -> Result<Vec<Checked>, WebError> {
    let names: Vec<String> = saved.iter().map(|s| s.name.clone()).collect();
    let batch = blocking(state, move |s| {
        s.store()
            .begin_batch(&s.config.rules.version, &names)
            .map_err(WebError::internal)
    })
    .await?;
    let tasks: Vec<_> = saved
        .into_iter()
        .map(|file| tokio::spawn(review_one(state.clone(), file, batch)))
        .collect();
    let mut checked = Vec::with_capacity(tasks.len());
    let mut counts = BatchCounts::default();
    for task in tasks {
        let c = task
            .await
            .map_err(|_| WebError::internal("检查文件时发生内部错误"))??;
        counts.files += 1;
        counts.analysed += 1;
        counts.failed += usize::from(c.error.is_some());
        checked.push(c);
    }
    blocking(state, move |s| {
        s.store()
            .finish_batch(batch, counts)
            .map_err(WebError::internal)
    })
    .await?;
    Ok(checked)
}

async fn review_one(state: AppState, file: Saved, batch: i64) -> Result<Checked, WebError> {
    let _turn = state
        .review_slots
        .acquire()
        .await
        .map_err(|_| WebError::internal("服务器正在关闭"))?;
    blocking(&state, move |s| {
        let key = scan::document_key(&file.path);
        let (mut review, doc) = scan::review_file(&file.path, &s.config.limits, s.config.rules);
        review.path = file.name.clone();
        let text = doc.map(|d| (d.text, d.blocks));
        let id = s
            .store()
            .save_review(
                &key,
                &review,
                text.as_ref().map(|(t, b)| (t.as_str(), b.as_slice())),
                &s.config.rules.version,
                Some(batch),
            )
            .map_err(WebError::internal)?;
        s.indexer.changed();
        let count = |l: Level| review.findings.iter().filter(|f| f.level == l).count();
        Ok(Checked {
            id,
            name: file_name(&file.name).to_string(),
            title: review.meta.title.clone(),
            sha256: file.sha256.clone(),
            bytes: file.bytes,
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            suggestions: count(Level::Suggestion),
            error: review.error.as_ref().map(|e| e.message.clone()),
            url: format!("/reviews/{id}"),
        })
    })
    .await
}
