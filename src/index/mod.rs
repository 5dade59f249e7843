//! The search index: a tantivy index under `<data>/index/`, derived from the
//! review store and always rebuildable from it (`fairscan reindex`).
//!
//! Each commit records, as its payload, the store's change counter it has
//! caught up to. Opening the index compares that marker with the store and
//! indexes whatever changed since — after a crash, after a scan that could
//! not get the index lock, or after decisions were recorded.

mod entries;
mod query;
mod schema;
pub mod search;
pub mod similar;
pub mod tokenizer;
mod updater;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

pub use schema::{Fields, KIND_DOCUMENT, KIND_FINDING};
pub use search::{Filters, Hit, SearchResults};
pub use updater::Updater;

use crate::store::{Store, StoreError};
use tokenizer::ZhTokenizer;

/// The index folder inside the data folder.
pub const INDEX_FOLDER: &str = "index";

/// Indexing memory per writer thread.
const WRITER_BYTES_PER_THREAD: usize = 40_000_000;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("搜索索引出错：{0}")]
    Tantivy(#[from] TantivyError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("无法创建索引目录 {}：{source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("查询语句有误：{0}")]
    Query(String),
}

pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// What the last commit of the index covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// Schema version of the index.
    pub version: u32,
    /// The id of the store the index was built from.
    pub store: String,
    /// The store's change counter when the commit was made.
    pub seq: i64,
}

pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    query_tokenizers: TokenizerManager,
    folder: PathBuf,
}

impl SearchIndex {
    /// Opens the index in `<data>/index/`, creating it when missing and
    /// starting afresh when it is unreadable or of another schema version
    /// (its content comes back from the store on the next sync).
    pub fn open(data: &Path) -> Result<SearchIndex> {
        let folder = data.join(INDEX_FOLDER);
        std::fs::create_dir_all(&folder).map_err(|source| IndexError::Folder {
            path: folder.clone(),
            source,
        })?;
        let index = match open_existing(&folder) {
            Some(index) => index,
            None => {
                clear_folder(&folder)?;
                let (schema, _) = Fields::schema();
                Index::create_in_dir(&folder, schema)?
            }
        };
        let (_, fields) = Fields::schema();
        index
            .tokenizers()
            .register(tokenizer::NAME, ZhTokenizer::for_index());
        let query_tokenizers = TokenizerManager::default();
        query_tokenizers.register(tokenizer::NAME, ZhTokenizer::for_query());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            query_tokenizers,
            folder,
        })
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// What the last commit covers (`None` for a new or foreign index).
    pub fn marker(&self) -> Option<Marker> {
        marker_of(&self.index)
    }

    /// An updater holding the index's write lock, or `None` when another
    /// process holds it (that process, or the next open, will catch up).
    pub fn updater(&self, store: &Store, threads: usize) -> Result<Option<Updater>> {
        let threads = threads.clamp(1, 8);
        let writer: IndexWriter = match self
            .index
            .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
        {
            Ok(w) => w,
            Err(TantivyError::LockFailure(..)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some(Updater::new(
            &self.index,
            self.fields,
            self.reader.clone(),
            writer,
            store,
        )?))
    }

    /// Brings the index up to the store: indexes every document changed
    /// since the marker, or everything when the marker is missing or belongs
    /// to another store (a data folder replaced under the index). Returns the number of
    /// documents indexed, `None` when another process holds the write lock.
    pub fn sync(&self, store: &Store) -> Result<Option<usize>> {
        if self.covers(store) {
            return Ok(Some(0));
        }
        let Some(mut updater) = self.updater(store, 1)? else {
            return Ok(None);
        };
        let n = updater.catch_up(store)?;
        updater.finish(store)?;
        Ok(Some(n))
    }

    /// Whether the last commit covers everything in `store`.
    fn covers(&self, store: &Store) -> bool {
        let (Some(m), Ok(id), Ok(seq)) = (self.marker(), store.id(), store.sequence()) else {
            return false;
        };
        m.store == id && m.seq == seq
    }

    /// Drops every entry and indexes the whole store again.
    pub fn rebuild(&self, store: &Store, threads: usize) -> Result<Option<usize>> {
        let Some(mut updater) = self.updater(store, threads)? else {
            return Ok(None);
        };
        updater.clear()?;
        let n = updater.catch_up(store)?;
        updater.finish(store)?;
        Ok(Some(n))
    }

    /// A searcher over the last commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Sees the latest commit (made by this or another process).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Bytes the index occupies on disk.
    pub fn size_on_disk(&self) -> u64 {
        walk_size(&self.folder)
    }
}

fn marker_of(index: &Index) -> Option<Marker> {
    let payload = index.load_metas().ok()?.payload?;
    serde_json::from_str::<Marker>(&payload)
        .ok()
        .filter(|m| m.version == schema::VERSION)
}

/// The index in `folder` when it opens and has this program's schema.
fn open_existing(folder: &Path) -> Option<Index> {
    if !folder.join("meta.json").exists() {
        return None;
    }
    let dir = MmapDirectory::open(folder).ok()?;
    let index = Index::open(dir).ok()?;
    let payload = index.load_metas().ok()?.payload;
    // A brand-new index (no commit yet) has no payload and is fine to keep.
    match payload {
        None => Some(index),
        Some(p) => serde_json::from_str::<Marker>(&p)
            .ok()
            .filter(|m| m.version == schema::VERSION)
            .map(|_| index),
    }
}

/// Removes what is inside the index folder (never anything outside it).
fn clear_folder(folder: &Path) -> Result<()> {
    let entries = std::fs::read_dir(folder).map_err(|source| IndexError::Folder {
        path: folder.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|source| IndexError::Folder { path, source })?;
    }
    Ok(())
}

fn walk_size(folder: &Path) -> u64 {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests;
