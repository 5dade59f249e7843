//! Documents and their findings: one row per file (keyed by its canonical
//! path), replaced whole when the file or the rules change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Result, Store, next_sequence, now_utc};
use crate::baseline::fingerprint;
use crate::extract::Block;
use crate::review::{Finding, Level, Review, ReviewError, ReviewMeta, Similar};

/// Stored sha256 per canonical path, for reviews made with the current rules:
/// a file whose bytes hash the same need not be analysed again.
pub type Known = HashMap<PathBuf, String>;

/// Error kinds that depend on limits or on the machine, not on the bytes:
/// such reviews are always made again.
const TRANSIENT_ERRORS: &[&str] = &["io", "timeout", "internal", "too_large"];

/// A review as stored, with the extracted text it was made from.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub id: i64,
    pub key: String,
    pub review: Review,
    pub text: Option<String>,
    pub blocks: Vec<Block>,
    pub scanned_at: String,
    pub seq: i64,
}

/// One stored finding with its document, for listings and the index.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub document_id: i64,
    pub path: String,
    pub title: Option<String>,
    pub fingerprint: String,
    pub finding: Finding,
}

impl Store {
    /// Canonical paths and hashes of the reviews made with `rules_version`.
    pub fn known(&self, rules_version: &str) -> Result<Known> {
        let mut stmt = self.conn.prepare(
            "SELECT path, sha256, error_kind FROM documents
             WHERE rules_version = ?1 AND sha256 IS NOT NULL",
        )?;
        let rows = stmt.query_map([rules_version], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut known = Known::new();
        for row in rows {
            let (path, sha, error) = row?;
            if error.is_none_or(|k| !TRANSIENT_ERRORS.contains(&k.as_str())) {
                known.insert(PathBuf::from(path), sha);
            }
        }
        Ok(known)
    }

    /// Writes one review in a single transaction, replacing any earlier review of
    /// the same file. Decisions stay attached to the document; a decided finding
    /// that no longer occurs is marked fixed. Returns the document id.
    pub fn save_review(
        &mut self,
        key: &Path,
        review: &Review,
        text: Option<(&str, &[Block])>,
        rules_version: &str,
        batch: Option<i64>,
    ) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let seq = next_sequence(&tx)?;
        let id = upsert_document(&tx, key, review, text, rules_version, batch, seq)?;
        tx.execute("DELETE FROM findings WHERE document_id = ?1", [id])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO findings (document_id, ordinal, finding_id, rule, article, item,
                     level, confidence, clause, start, end, page, text, evidence, explanation,
                     suggestion, ocr, similar, fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19)",
            )?;
            // Suppressed findings are stored too: suppression is applied when
            // reviews are reported, so lifting a decision brings them back.
            for (ordinal, f) in review.findings.iter().enumerate() {
                let similar = if f.similar.is_empty() {
                    None
                } else {
                    Some(serde_json::to_string(&f.similar)?)
                };
                insert.execute(params![
                    id,
                    ordinal as i64,
                    f.id,
                    f.rule,
                    f.article,
                    f.item,
                    f.level.as_str(),
                    f.confidence,
                    f.clause,
                    f.start as i64,
                    f.end as i64,
                    f.page,
                    f.text,
                    serde_json::to_string(&f.evidence)?,
                    f.explanation,
                    f.suggestion,
                    f.ocr,
                    similar,
                    fingerprint(f),
                ])?;
            }
        }
        super::decisions::close_vanished(&tx, id)?;
        tx.commit()?;
        Ok(id)
    }

    /// The id of the stored review of a file.
    pub fn document_id(&self, key: &Path) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE path = ?1",
                [key.to_string_lossy()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The stored review of a document, shown under `shown` (the path as the
    /// user gave it this time) or under the path it was stored with. The
    /// extracted text and blocks are read only `with_text`.
    pub fn load(
        &self,
        id: i64,
        shown: Option<&str>,
        with_text: bool,
    ) -> Result<Option<StoredDocument>> {
        let sql = if with_text {
            "SELECT id, path, shown_path, sha256, format, chars, metadata, warnings,
                    error_kind, error_message, text, blocks, scanned_at, seq
             FROM documents WHERE id = ?1"
        } else {
            "SELECT id, path, shown_path, sha256, format, chars, metadata, warnings,
                    error_kind, error_message, NULL, NULL, scanned_at, seq
             FROM documents WHERE id = ?1"
        };
        let doc = self
            .conn
            .prepare_cached(sql)?
            .query_row([id], document_from_row)
            .optional()?;
        let Some(mut doc) = doc else {
            return Ok(None);
        };
        doc.review.findings = self.findings_of(id)?;
        if let Some(shown) = shown {
            doc.review.path = shown.to_string();
        }
        Ok(Some(doc))
    }

    /// Documents changed after `seq` (every document for 0), oldest first,
    /// as (id, change counter).
    pub fn changed_since(&self, seq: i64) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, seq FROM documents WHERE seq > ?1 ORDER BY seq")?;
        let ids = stmt
            .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
        Ok(ids)
    }

    /// Number of stored documents.
    pub fn document_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?)
    }

    fn findings_of(&self, id: i64) -> Result<Vec<Finding>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT finding_id, rule, article, item, level, confidence, clause, start, end,
                    page, text, evidence, explanation, suggestion, ocr, similar
             FROM findings WHERE document_id = ?1 ORDER BY ordinal",
        )?;
        let rows = stmt.query_map([id], |r| finding_from_row(r, 0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }

    /// Every stored finding whose fingerprint starts with `prefix` (all for "").
    pub fn findings_matching(&self, prefix: &str) -> Result<Vec<FindingRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT f.finding_id, f.rule, f.article, f.item, f.level, f.confidence, f.clause,
                    f.start, f.end, f.page, f.text, f.evidence, f.explanation, f.suggestion,
                    f.ocr, f.similar, f.fingerprint, d.id, d.shown_path, d.title
             FROM findings f JOIN documents d ON d.id = f.document_id
             WHERE f.fingerprint LIKE ?1 || '%'
             ORDER BY d.shown_path, f.ordinal",
        )?;
        let rows = stmt.query_map([prefix], |r| {
            Ok((
                finding_from_row(r, 0)?,
                r.get::<_, String>(16)?,
                r.get::<_, i64>(17)?,
                r.get::<_, String>(18)?,
                r.get::<_, Option<String>>(19)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (finding, fingerprint, document_id, path, title) = row?;
            out.push(FindingRow {
                document_id,
                path,
                title,
                fingerprint,
                finding: finding?,
            });
        }
        Ok(out)
    }
}

#[allow(clippy::too_many_arguments)]
fn upsert_document(
    tx: &Transaction<'_>,
    key: &Path,
    review: &Review,
    text: Option<(&str, &[Block])>,
    rules_version: &str,
    batch: Option<i64>,
    seq: i64,
) -> Result<i64> {
    let blocks = match text {
        Some((_, blocks)) => Some(serde_json::to_string(blocks)?),
        None => None,
    };
    let id = tx.query_row(
        "INSERT INTO documents (path, shown_path, sha256, format, chars, title, doc_number,
             issuer, date, metadata, warnings, error_kind, error_message, text, blocks,
             rules_version, scanned_at, batch_id, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19)
         ON CONFLICT (path) DO UPDATE SET
             shown_path = excluded.shown_path, sha256 = excluded.sha256,
             format = excluded.format, chars = excluded.chars, title = excluded.title,
             doc_number = excluded.doc_number, issuer = excluded.issuer, date = excluded.date,
             metadata = excluded.metadata, warnings = excluded.warnings,
             error_kind = excluded.error_kind, error_message = excluded.error_message,
             text = excluded.text, blocks = excluded.blocks,
             rules_version = excluded.rules_version, scanned_at = excluded.scanned_at,
             batch_id = excluded.batch_id, seq = excluded.seq
         RETURNING id",
        params![
            key.to_string_lossy(),
            review.path,
            review.sha256,
            review.format,
            review.chars as i64,
            review.meta.title,
            review.meta.doc_number,
            review.meta.issuer,
            review.meta.date,
            serde_json::to_string(&review.meta)?,
            serde_json::to_string(&review.warnings)?,
            review.error.as_ref().map(|e| e.kind.as_str()),
            review.error.as_ref().map(|e| e.message.as_str()),
            text.map(|(t, _)| t),
            blocks,
            rules_version,
            now_utc(),
            batch,
            seq,
        ],
        |r| r.get(0),
    )?;
    Ok(id)
}

fn document_from_row(r: &Row<'_>) -> rusqlite::Result<StoredDocument> {
    let meta: String = r.get(6)?;
    let warnings: String = r.get(7)?;
    let error_kind: Option<String> = r.get(8)?;
    let error_message: Option<String> = r.get(9)?;
    let blocks: Option<String> = r.get(11)?;
    let review = Review {
        path: r.get(2)?,
        format: r.get(4)?,
        sha256: r.get(3)?,
        chars: r.get::<_, i64>(5)?.max(0) as usize,
        meta: serde_json::from_str::<ReviewMeta>(&meta).unwrap_or_default(),
        error: error_kind.map(|kind| ReviewError {
            kind,
            message: error_message.unwrap_or_default(),
        }),
        warnings: serde_json::from_str(&warnings).unwrap_or_default(),
        findings: Vec::new(),
        suppressed: Vec::new(),
    };
    Ok(StoredDocument {
        id: r.get(0)?,
        key: r.get(1)?,
        review,
        text: r.get(10)?,
        blocks: blocks
            .and_then(|b| serde_json::from_str(&b).ok())
            .unwrap_or_default(),
        scanned_at: r.get(12)?,
        seq: r.get(13)?,
    })
}

/// A finding from 16 columns starting at `at`; JSON columns that fail to parse
/// surface as a store error rather than a silently empty list.
fn finding_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Result<Finding>> {
    let level: String = r.get(at + 4)?;
    let evidence: String = r.get(at + 11)?;
    let similar: Option<String> = r.get(at + 15)?;
    let evidence: Vec<String> = match serde_json::from_str(&evidence) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e.into())),
    };
    let similar: Vec<Similar> = match similar.map(|s| serde_json::from_str(&s)) {
        None => Vec::new(),
        Some(Ok(v)) => v,
        Some(Err(e)) => return Ok(Err(e.into())),
    };
    Ok(Ok(Finding {
        id: r.get(at)?,
        rule: r.get(at + 1)?,
        article: r.get(at + 2)?,
        item: r.get(at + 3)?,
        level: parse_level(&level),
        confidence: r.get::<_, f64>(at + 5)? as f32,
        clause: r.get(at + 6)?,
        start: r.get::<_, i64>(at + 7)?.max(0) as usize,
        end: r.get::<_, i64>(at + 8)?.max(0) as usize,
        page: r.get(at + 9)?,
        text: r.get(at + 10)?,
        evidence,
        explanation: r.get(at + 12)?,
        suggestion: r.get(at + 13)?,
        ocr: r.get(at + 14)?,
        similar,
    }))
}

pub(crate) fn parse_level(s: &str) -> Level {
    match s {
        "error" => Level::Error,
        "suggestion" => Level::Suggestion,
        _ => Level::Warning,
    }
}
