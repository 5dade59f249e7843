//! Recording a reviewer's decision on one finding (confirm, dismiss with a
//! reason, mark fixed). Each decision is one SQLite transaction; when two
//! reviewers decide at once the later one wins and both stay in the history.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use serde::{Deserialize, Serialize};

use super::review::parse_id;
use super::{AppState, Inner, WebError, blocking};
use crate::store::Status;

/// Longest reason and reviewer name kept, in characters.
const MAX_REASON_CHARS: usize = 2_000;
const MAX_REVIEWER_CHARS: usize = 40;
const DEFAULT_REVIEWER: &str = "工作台";

#[derive(Debug, Clone, Deserialize)]
pub struct DecisionInput {
    pub status: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub reviewer: Option<String>,
}

/// What was recorded, and how many decisions the finding has had.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub finding_id: String,
    pub status: String,
    pub label: String,
    pub reason: String,
    pub reviewer: String,
    pub decided_at: String,
    pub history: usize,
}

/// Validates and records a decision on finding `fingerprint` of document `id`.
pub fn record(
    s: &Inner,
    id: i64,
    fingerprint: &str,
    input: &DecisionInput,
) -> Result<Recorded, WebError> {
    if fingerprint.len() != 16 || !fingerprint.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(WebError::not_found("问题编号格式不对"));
    }
    let fingerprint = fingerprint.to_ascii_lowercase();
    let status = Status::parse(input.status.trim()).ok_or_else(|| {
        WebError::bad_request(
            "状态应为 confirmed（确认）、dismissed（驳回）、fixed（已修改）或 open（待处理）",
        )
    })?;
    let reason: String = input.reason.trim().chars().take(MAX_REASON_CHARS).collect();
    if status == Status::Dismissed && reason.is_empty() {
        return Err(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "驳回必须写明理由",
        ));
    }
    let reviewer: String = input
        .reviewer
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(DEFAULT_REVIEWER)
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_REVIEWER_CHARS)
        .collect();
    let (decision, history) = {
        let mut store = s.store();
        let exists = store
            .findings_matching(&fingerprint)
            .map_err(WebError::internal)?
            .iter()
            .any(|r| r.document_id == id && r.fingerprint == fingerprint);
        if !exists {
            return Err(WebError::not_found(format!(
                "审查记录 {id} 中没有编号为 {fingerprint} 的问题"
            )));
        }
        store
            .decide(id, &fingerprint, status, &reason, &reviewer)
            .map_err(WebError::internal)?;
        let history = store
            .history(id, &fingerprint)
            .map_err(WebError::internal)?;
        let decision = store
            .decision(id, &fingerprint)
            .map_err(WebError::internal)?;
        (decision, history.len())
    };
    s.indexer.changed();
    let decided_at = decision.map(|d| d.decided_at).unwrap_or_default();
    Ok(Recorded {
        finding_id: format!("{id}-{fingerprint}"),
        status: status.as_str().into(),
        label: status.label().into(),
        reason,
        reviewer,
        decided_at,
        history,
    })
}

/// The form of a finding card (works without JavaScript): back to the review.
pub async fn form_submit(
    State(state): State<AppState>,
    Path((id, fingerprint)): Path<(String, String)>,
    form: Result<Form<DecisionInput>, FormRejection>,
) -> Result<Redirect, WebError> {
    let id = parse_id(&id)?;
    let Form(input) = form.map_err(|e| WebError::bad_request(format!("表单无法读取：{e}")))?;
    blocking(&state, move |s| record(s, id, &fingerprint, &input)).await?;
    Ok(Redirect::to(&format!("/reviews/{id}")))
}
