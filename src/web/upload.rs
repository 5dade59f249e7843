//! Receiving uploaded files: each multipart file field is streamed to disk
//! while it is hashed, then kept as `DATA/uploads/<sha256>/<safe name>`.
//! The request body is capped (413 beyond the limit).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::{HeaderMap, StatusCode, header::CONTENT_LENGTH};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::WebError;
use super::paths::sanitise_file_name;

/// Folder (inside the uploads folder) for files still arriving.
pub const INCOMING: &str = ".incoming";

/// Most files accepted in one request.
pub const MAX_FILES: usize = 200;

/// One stored upload.
#[derive(Debug, Clone)]
pub struct Saved {
    pub path: PathBuf,
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Refuses at once a body announced larger than the limit.
pub fn check_length(headers: &HeaderMap, limit: u64) -> Result<(), WebError> {
    let announced = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(n) if n > limit => Err(WebError::too_large(limit)),
        _ => Ok(()),
    }
}

/// Saves every file field of the form (other fields are ignored).
pub async fn save_all(
    mut form: Multipart,
    uploads: &Path,
    limit: u64,
) -> Result<Vec<Saved>, WebError> {
    let mut saved = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(|e| multipart(e, limit))? {
        let Some(name) = field.file_name().map(str::to_string) else {
            continue;
        };
        if name.is_empty() {
            // A form submitted with no file chosen.
            continue;
        }
        if saved.len() >= MAX_FILES {
            return Err(WebError::bad_request(format!(
                "一次最多上传 {MAX_FILES} 个文件"
            )));
        }
        let part = uploads.join(INCOMING).join(part_name());
        let mut file = tokio::fs::File::create(&part)
            .await
            .map_err(WebError::internal)?;
        let mut hash = Sha256::new();
        let mut bytes = 0u64;
        let written = async {
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart(e, limit))? {
                bytes += chunk.len() as u64;
                if bytes > limit {
                    return Err(WebError::too_large(limit));
                }
                hash.update(&chunk);
                file.write_all(&chunk).await.map_err(WebError::internal)?;
            }
            file.flush().await.map_err(WebError::internal)
        }
        .await;
        drop(file);
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&part).await;
            return Err(e);
        }
        let sha256 = hex::encode(hash.finalize());
        let name = sanitise_file_name(&name);
        let folder = uploads.join(&sha256);
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(WebError::internal)?;
        let path = folder.join(&name);
        tokio::fs::rename(&part, &path)
            .await
            .map_err(WebError::internal)?;
        saved.push(Saved {
            path,
            name,
            sha256,
            bytes,
        });
    }
    Ok(saved)
}

/// A name no other upload in flight uses.
fn part_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{nanos}-{}.part",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn multipart(e: MultipartError, limit: u64) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::too_large(limit)
    } else {
        WebError::bad_request(format!("上传的表单无法读取：{}", e.body_text()))
    }
}
