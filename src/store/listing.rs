//! Read-only listings for browsing the store: batches with their counts,
//! the documents of a batch, and one line per finding for charts.

use rusqlite::{OptionalExtension, Row, params};

use super::documents::parse_level;
use super::{BatchCounts, Result, Store};
use crate::review::Level;

/// One batch as listed.
#[derive(Debug, Clone)]
pub struct BatchRow {
    pub id: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub rules_version: String,
    pub inputs: Vec<String>,
    pub counts: BatchCounts,
    /// Findings of the batch's documents: error, warning, suggestion.
    pub findings: [usize; 3],
}

/// One stored document as listed.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub id: i64,
    pub path: String,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub error_kind: Option<String>,
    pub scanned_at: String,
    /// Findings: error, warning, suggestion.
    pub findings: [usize; 3],
}

/// One finding reduced to what charts count.
#[derive(Debug, Clone)]
pub struct FindingFact {
    pub document_id: i64,
    pub article: u8,
    pub item: u8,
    pub level: Level,
    pub issuer: Option<String>,
    pub date: Option<String>,
    /// The decision's status, `open` when none was recorded.
    pub status: String,
}

const BATCH_COLUMNS: &str = "b.id, b.started_at, b.finished_at, b.rules_version, b.inputs,
    b.files, b.analysed, b.unchanged, b.failed,
    (SELECT COUNT(*) FROM findings f JOIN documents d ON d.id = f.document_id
     WHERE d.batch_id = b.id AND f.level = 'error'),
    (SELECT COUNT(*) FROM findings f JOIN documents d ON d.id = f.document_id
     WHERE d.batch_id = b.id AND f.level = 'warning'),
    (SELECT COUNT(*) FROM findings f JOIN documents d ON d.id = f.document_id
     WHERE d.batch_id = b.id AND f.level = 'suggestion')";

impl Store {
    /// The latest `limit` batches, newest first.
    pub fn batches(&self, limit: usize) -> Result<Vec<BatchRow>> {
        let sql = format!("SELECT {BATCH_COLUMNS} FROM batches b ORDER BY b.id DESC LIMIT ?1");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([limit as i64], batch_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn batch(&self, id: i64) -> Result<Option<BatchRow>> {
        let sql = format!("SELECT {BATCH_COLUMNS} FROM batches b WHERE b.id = ?1");
        Ok(self.conn.query_row(&sql, [id], batch_from_row).optional()?)
    }

    /// Documents last reviewed in `batch` (every document for `None`), by path.
    pub fn documents_in(&self, batch: Option<i64>) -> Result<Vec<DocumentRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.shown_path, d.title, d.issuer, d.date, d.error_kind, d.scanned_at,
                 (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id AND f.level = 'error'),
                 (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id AND f.level = 'warning'),
                 (SELECT COUNT(*) FROM findings f WHERE f.document_id = d.id AND f.level = 'suggestion')
             FROM documents d WHERE ?1 IS NULL OR d.batch_id = ?1
             ORDER BY d.shown_path",
        )?;
        let rows = stmt.query_map([batch], |r| {
            Ok(DocumentRow {
                id: r.get(0)?,
                path: r.get(1)?,
                title: r.get(2)?,
                issuer: r.get(3)?,
                date: r.get(4)?,
                error_kind: r.get(5)?,
                scanned_at: r.get(6)?,
                findings: [count(r, 7)?, count(r, 8)?, count(r, 9)?],
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One line per finding of the documents last reviewed in `batch` (every
    /// document for `None`), with its document's issuer and date.
    pub fn finding_facts(&self, batch: Option<i64>) -> Result<Vec<FindingFact>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, f.article, f.item, f.level, d.issuer, d.date,
                 COALESCE(c.status, 'open')
             FROM findings f JOIN documents d ON d.id = f.document_id
             LEFT JOIN decisions c ON c.document_id = f.document_id
                 AND c.fingerprint = f.fingerprint
             WHERE ?1 IS NULL OR d.batch_id = ?1",
        )?;
        let rows = stmt.query_map(params![batch], |r| {
            let level: String = r.get(3)?;
            Ok(FindingFact {
                document_id: r.get(0)?,
                article: r.get(1)?,
                item: r.get(2)?,
                level: parse_level(&level),
                issuer: r.get(4)?,
                date: r.get(5)?,
                status: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<usize> {
    Ok(r.get::<_, i64>(i)?.max(0) as usize)
}

fn batch_from_row(r: &Row<'_>) -> rusqlite::Result<BatchRow> {
    let inputs: String = r.get(4)?;
    Ok(BatchRow {
        id: r.get(0)?,
        started_at: r.get(1)?,
        finished_at: r.get(2)?,
        rules_version: r.get(3)?,
        inputs: serde_json::from_str(&inputs).unwrap_or_default(),
        counts: BatchCounts {
            files: count(r, 5)?,
            analysed: count(r, 6)?,
            unchanged: count(r, 7)?,
            failed: count(r, 8)?,
        },
        findings: [count(r, 9)?, count(r, 10)?, count(r, 11)?],
    })
}
