//! Errors of a request: a status and a message in Chinese, shown as a page
//! (or as `{"error": …}` by the JSON API, see [`ApiError`]).

use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use super::views::layout::{Nav, frame};
use super::views::push_esc;

#[derive(Debug, Clone)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn forbidden(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::FORBIDDEN, message)
    }

    pub fn too_large(limit: u64) -> WebError {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "上传的文件过大：一次最多 {} MB（可用 serve --max-upload-mb 调整）",
                limit.div_ceil(crate::limits::MB)
            ),
        )
    }

    /// A failure of the server itself; the detail goes to the log, not the page.
    pub fn internal(detail: impl std::fmt::Display) -> WebError {
        eprintln!("fairscan serve: {detail}");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("服务器内部错误：{detail}"),
        )
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut body = String::from("<section class=\"error\"><h1>出错了</h1><p>");
        push_esc(&mut body, &self.message);
        body.push_str("</p><p><a href=\"/check\">返回检查页</a></p></section>");
        (self.status, Html(frame("出错了", Nav::None, &body))).into_response()
    }
}

/// The same error as JSON, for `/api/…`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> ApiError {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.0.message, "status": self.0.status.as_u16() });
        (self.0.status, Json(body)).into_response()
    }
}

/// Any path no route knows.
pub async fn not_found(uri: Uri) -> Response {
    let e = WebError::not_found("没有这个页面");
    if uri.path().starts_with("/api/") {
        ApiError(e).into_response()
    } else {
        e.into_response()
    }
}
