//! The review store of record: every review `scan` makes, kept in an embedded
//! SQLite database in the data folder (`./.fairscan/` unless `--data DIR` or
//! `FAIRSCAN_DATA` say otherwise).
//!
//! The store is the truth; the search index under `<data>/index/` is derived
//! from it and can always be rebuilt. Each document's review is written in one
//! transaction, so a scan killed half-way leaves every finished review intact.

mod batches;
mod decisions;
mod documents;
mod listing;
mod schema;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use crate::clock::now_utc;
pub use batches::BatchCounts;
pub use decisions::{Decision, Status};
pub use documents::{FindingRow, Known, StoredDocument};
pub use listing::{BatchRow, DocumentRow, FindingFact};

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "fairscan.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("无法创建数据目录 {}：{source}（可用 --data 指定其他目录，或用 --no-store 不保存审查记录）", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("审查记录库出错：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("审查记录库中的数据无法解析：{0}")]
    Json(#[from] serde_json::Error),
    #[error("审查记录库的版本（{found}）比本程序支持的（{supported}）新，请升级 fairscan")]
    TooNew { found: i64, supported: i64 },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open review store.
pub struct Store {
    conn: Connection,
    folder: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("folder", &self.folder)
            .finish()
    }
}

impl Store {
    /// Opens (creating when needed) the store in `folder` and brings its schema
    /// up to date.
    pub fn open(folder: &Path) -> Result<Store> {
        std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
            path: folder.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(folder.join(DATABASE_FILE))?;
        // WAL: readers (search, web) never block the scan that writes; NORMAL
        // sync keeps every committed transaction across a process crash.
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            folder: folder.to_path_buf(),
        };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// The data folder this store lives in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The store's change counter: it grows with every document written and
    /// every decision recorded. The index remembers the value it has caught up to.
    pub fn sequence(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT seq FROM state WHERE id = 1", [], |r| r.get(0))?)
    }

    /// A random id given to the store when it was created: an index built from
    /// another store (a data folder restored or replaced) is recognised.
    pub fn id(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT store_id FROM state WHERE id = 1", [], |r| r.get(0))?)
    }
}

/// Bumps the change counter inside a transaction and returns the new value.
fn next_sequence(tx: &rusqlite::Transaction<'_>) -> Result<i64> {
    Ok(tx.query_row(
        "UPDATE state SET seq = seq + 1 WHERE id = 1 RETURNING seq",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests;
