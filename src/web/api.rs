//! The JSON API, one route per thing the pages do. Errors come back as
//! `{"error": "…", "status": N}` with the same status code.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::batches::{StartInput, begin};
use super::decide::{DecisionInput, Recorded, record};
use super::error::ApiError;
use super::review::{load, parse_id, review_json};
use super::search::{SearchParams, run};
use super::{AppState, WebError, blocking, check, rules as rules_view};

type ApiResult<T> = Result<Json<T>, ApiError>;

/// POST /api/check: multipart upload (any number of file fields).
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> ApiResult<Value> {
    let checked = check::receive(&state, &headers, form).await?;
    Ok(Json(json!({ "reviews": checked })))
}

/// GET /api/reviews: every stored document with its counts.
pub async fn reviews(State(state): State<AppState>) -> ApiResult<Value> {
    let rows = blocking(&state, |s| {
        s.store().documents_in(None).map_err(WebError::internal)
    })
    .await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "url": format!("/reviews/{}", r.id),
                "path": r.path,
                "title": r.title,
                "issuer": r.issuer,
                "date": r.date,
                "error": r.error_kind,
                "scanned_at": r.scanned_at,
                "errors": r.findings[0],
                "warnings": r.findings[1],
                "suggestions": r.findings[2],
            })
        })
        .collect();
    Ok(Json(json!({ "reviews": list })))
}

/// GET /api/reviews/{id}
pub async fn review(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Value> {
    let id = parse_id(&id)?;
    let value = blocking(&state, move |s| Ok(review_json(&load(s, id, false, true)?))).await?;
    Ok(Json(value))
}

/// POST /api/findings/{document id}-{fingerprint}/decision, body
/// `{"status": "dismissed", "reason": "…", "reviewer": "…"}`.
pub async fn decision(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<DecisionInput>, JsonRejection>,
) -> ApiResult<Recorded> {
    let Json(input) = body.map_err(|e| {
        WebError::new(
            e.status(),
            format!(
                "请求体应为 JSON，如 {{\"status\": \"dismissed\", \"reason\": \"…\"}}：{}",
                e.body_text()
            ),
        )
    })?;
    let (doc, fingerprint) = id.split_once('-').ok_or_else(|| {
        WebError::not_found("问题编号应为“审查记录编号-问题指纹”，如 3-0123456789abcdef")
    })?;
    let doc = parse_id(doc)?;
    let fingerprint = fingerprint.to_string();
    let recorded = blocking(&state, move |s| record(s, doc, &fingerprint, &input)).await?;
    Ok(Json(recorded))
}

/// GET /api/search?q=&item=&level=&status=&issuer=&year=&limit=
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> ApiResult<Value> {
    let results = blocking(&state, move |s| run(s, &params)).await?;
    Ok(Json(
        serde_json::to_value(results).map_err(WebError::internal)?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct Limit {
    pub limit: Option<usize>,
}

/// GET /api/batches
pub async fn batches(State(state): State<AppState>, Query(q): Query<Limit>) -> ApiResult<Value> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let rows = blocking(&state, move |s| {
        s.store().batches(limit).map_err(WebError::internal)
    })
    .await?;
    let list: Vec<Value> = rows.iter().map(batch_json).collect();
    Ok(Json(json!({ "batches": list })))
}

fn batch_json(b: &crate::store::BatchRow) -> Value {
    json!({
        "id": b.id,
        "url": format!("/batches/{}", b.id),
        "started_at": b.started_at,
        "finished_at": b.finished_at,
        "inputs": b.inputs,
        "files": b.counts.files,
        "failed": b.counts.failed,
        "errors": b.findings[0],
        "warnings": b.findings[1],
        "suggestions": b.findings[2],
    })
}

/// GET /api/batches/{id}: the batch with its documents.
pub async fn batch(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Value> {
    let id = parse_id(&id)?;
    let value = blocking(&state, move |s| {
        let store = s.store();
        let b = store
            .batch(id)
            .map_err(WebError::internal)?
            .ok_or_else(|| WebError::not_found(format!("没有编号为 {id} 的批次")))?;
        let docs = store.documents_in(Some(id)).map_err(WebError::internal)?;
        let mut value = batch_json(&b);
        value["documents"] = docs
            .iter()
            .map(|d| json!({ "id": d.id, "path": d.path, "title": d.title, "url": format!("/reviews/{}", d.id) }))
            .collect();
        Ok(value)
    })
    .await?;
    Ok(Json(value))
}

/// POST /api/batches `{"folder": "…"}` (only inside an allow-listed root).
pub async fn start_batch(
    State(state): State<AppState>,
    body: Result<Json<StartInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(input) = body.map_err(|e| WebError::new(e.status(), e.body_text()))?;
    let started = begin(&state, &input.folder).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::to_value(started).map_err(WebError::internal)?),
    ))
}

/// GET /api/rules
pub async fn rules(State(state): State<AppState>) -> ApiResult<Value> {
    Ok(Json(blocking(&state, |s| Ok(rules_view::json(s))).await?))
}
