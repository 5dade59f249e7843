//! The local web workbench (`fairscan serve`): server-rendered pages in
//! Chinese for reviewers, and a JSON API that mirrors them.
//!
//! One [`AppState`] holds the review store, the search index (this process
//! keeps its write lock and commits in the background) and the settings.
//! Everything blocking — analysing files, SQLite, tantivy — runs on tokio's
//! blocking pool, and at most one analysis per core runs at a time, so the
//! pages stay responsive while uploads are reviewed.

mod api;
mod assets;
mod auth;
mod batches;
mod check;
mod decide;
mod error;
mod indexer;
pub mod paths;
mod review;
mod rules;
mod search;
mod upload;
mod views;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::index::SearchIndex;
use crate::limits::{Limits, MB};
use crate::rules::RuleSet;
use crate::store::Store;
pub use error::WebError;
use indexer::Indexer;

/// Default largest upload (all files of one request together).
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 50;

/// Folder under the data folder where uploaded files are kept.
pub const UPLOADS_FOLDER: &str = "uploads";

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Config {
    /// Data folder: review store, search index, uploads.
    pub data: PathBuf,
    /// Required on every request when set.
    pub token: Option<String>,
    /// Server-side folders a batch may be started on (none: the feature is off).
    pub allow_roots: Vec<PathBuf>,
    /// Largest request body of an upload, in bytes.
    pub max_upload_bytes: u64,
    pub limits: Limits,
    /// Loaded once per process (`serve` leaks a custom set on purpose).
    pub rules: &'static RuleSet,
}

impl Config {
    /// Defaults for `data`: no token, no server folders, the embedded rules.
    pub fn new(data: &Path) -> Config {
        Config {
            data: data.to_path_buf(),
            token: None,
            allow_roots: Vec::new(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_MB * MB,
            limits: Limits::default(),
            rules: RuleSet::embedded(),
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What every request shares (reached through [`AppState`]).
pub struct Inner {
    pub(crate) config: Config,
    /// Canonical data folder and allow-listed roots (symlinks resolved).
    pub(crate) data_dir: PathBuf,
    pub(crate) roots: Vec<PathBuf>,
    pub(crate) uploads: PathBuf,
    pub(crate) store: Mutex<Store>,
    pub(crate) index: SearchIndex,
    pub(crate) indexer: Indexer,
    /// One analysis per core at a time; the rest wait their turn.
    pub(crate) review_slots: tokio::sync::Semaphore,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the store, the index and the uploads folder under `config.data`.
    pub fn open(config: Config) -> Result<AppState, WebError> {
        let store = Store::open(&config.data).map_err(WebError::internal)?;
        let data_dir = std::fs::canonicalize(&config.data).map_err(WebError::internal)?;
        let uploads = data_dir.join(UPLOADS_FOLDER);
        std::fs::create_dir_all(uploads.join(upload::INCOMING)).map_err(WebError::internal)?;
        let mut roots = Vec::new();
        for root in &config.allow_roots {
            let canonical = std::fs::canonicalize(root).map_err(|e| {
                WebError::bad_request(format!("允许的目录 {} 无法访问：{e}", root.display()))
            })?;
            if !canonical.is_dir() {
                return Err(WebError::bad_request(format!(
                    "允许的目录 {} 不是文件夹",
                    root.display()
                )));
            }
            roots.push(canonical);
        }
        let index = SearchIndex::open(&data_dir).map_err(WebError::internal)?;
        let indexer = Indexer::start(&index, &data_dir)?;
        let slots = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(AppState(Arc::new(Inner {
            config,
            data_dir,
            roots,
            uploads,
            store: Mutex::new(store),
            index,
            indexer,
            review_slots: tokio::sync::Semaphore::new(slots),
        })))
    }

    /// Commits to the search index everything saved so far.
    pub fn flush_index(&self) -> Result<(), WebError> {
        self.indexer.flush(&self.index)
    }
}

impl Inner {
    /// The store connection; a panic elsewhere never locks reviewers out.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs blocking work (SQLite, tantivy, rendering) off the async threads.
pub(crate) async fn blocking<T, F>(state: &AppState, work: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Inner) -> Result<T, WebError> + Send + 'static,
{
    let state = state.clone();
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|_| WebError::internal("处理请求时发生内部错误"))?
}

/// Every page, download and API route of the workbench.
pub fn app(state: AppState) -> Router {
    let upload_limit = usize::try_from(state.config.max_upload_bytes).unwrap_or(usize::MAX);
    let uploads = Router::new()
        .route("/check", post(check::submit))
        .route("/api/check", post(api::check))
        .layer(DefaultBodyLimit::max(upload_limit));
    Router::new()
        .route("/", get(check::home))
        .route("/check", get(check::page))
        .route("/reviews", get(review::list))
        .route("/reviews/{id}", get(review::page))
        .route("/reviews/{id}/annotated.docx", get(review::annotated))
        .route("/reviews/{id}/form.docx", get(review::form))
        .route("/reviews/{id}/review.json", get(review::json_download))
        .route(
            "/reviews/{id}/findings/{fingerprint}/decision",
            post(decide::form_submit),
        )
        .route("/batches", get(batches::list).post(batches::start))
        .route("/batches/{id}", get(batches::page))
        .route("/search", get(search::page))
        .route("/rules", get(rules::page))
        .route("/assets/{name}", get(assets::serve))
        .route("/api/reviews", get(api::reviews))
        .route("/api/reviews/{id}", get(api::review))
        .route("/api/findings/{id}/decision", post(api::decision))
        .route("/api/search", get(api::search))
        .route("/api/batches", get(api::batches).post(api::start_batch))
        .route("/api/batches/{id}", get(api::batch))
        .route("/api/rules", get(api::rules))
        .merge(uploads)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::guard,
        ))
        .with_state(state)
}
