//! Versioned schema: each migration runs once, in order, and `PRAGMA
//! user_version` records how far a database has come.

use rusqlite::Connection;

use super::{Result, StoreError};

/// One SQL script per schema version; index 0 brings version 0 to 1.
const MIGRATIONS: &[&str] = &[V1, V2];

const V1: &str = "
CREATE TABLE state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    store_id TEXT NOT NULL
);
INSERT INTO state (id, seq, store_id) VALUES (1, 0, lower(hex(randomblob(8))));

CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rules_version TEXT NOT NULL,
    inputs TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    analysed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    shown_path TEXT NOT NULL,
    sha256 TEXT,
    format TEXT NOT NULL,
    chars INTEGER NOT NULL,
    title TEXT,
    doc_number TEXT,
    issuer TEXT,
    date TEXT,
    metadata TEXT NOT NULL,
    warnings TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    text TEXT,
    blocks TEXT,
    rules_version TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    batch_id INTEGER REFERENCES batches (id),
    seq INTEGER NOT NULL
);
CREATE INDEX documents_seq ON documents (seq);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    finding_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    article INTEGER NOT NULL,
    item INTEGER NOT NULL,
    level TEXT NOT NULL,
    confidence REAL NOT NULL,
    clause TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER,
    text TEXT NOT NULL,
    evidence TEXT NOT NULL,
    explanation TEXT NOT NULL,
    suggestion TEXT NOT NULL,
    ocr INTEGER NOT NULL,
    similar TEXT,
    fingerprint TEXT NOT NULL
);
CREATE INDEX findings_document ON findings (document_id, ordinal);
CREATE INDEX findings_fingerprint ON findings (fingerprint);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed', 'fixed')),
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    UNIQUE (document_id, fingerprint)
);
CREATE INDEX decisions_fingerprint ON decisions (fingerprint);
";

/// Every decision ever recorded, oldest first: the `decisions` row is the
/// latest word, this table keeps the ones it replaced (concurrent reviewers
/// lose nothing).
const V2: &str = "
CREATE TABLE decision_history (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX decision_history_finding ON decision_history (document_id, fingerprint);
";

/// The schema version this program writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies every migration the database has not seen, each in its own
/// transaction together with the version bump.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > current_version() {
        return Err(StoreError::TooNew {
            found,
            supported: current_version(),
        });
    }
    for (index, script) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
