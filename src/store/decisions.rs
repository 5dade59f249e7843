//! Reviewers' decisions on findings, keyed by document and the finding's
//! fingerprint (rule + normalised sentence), so they survive re-scans, moves
//! and edits elsewhere in the document.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, next_sequence, now_utc};

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Status {
    /// Not yet decided (every finding starts here).
    Open,
    /// A reviewer agrees the clause breaches the rules.
    Confirmed,
    /// A false alarm: later scans show it as suppressed with the reason.
    Dismissed,
    /// The drafter changed the clause.
    Fixed,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Confirmed => "confirmed",
            Status::Dismissed => "dismissed",
            Status::Fixed => "fixed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Status::Open => "待处理",
            Status::Confirmed => "已确认",
            Status::Dismissed => "已驳回",
            Status::Fixed => "已修改",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Open,
            Status::Confirmed,
            Status::Dismissed,
            Status::Fixed,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub document_id: i64,
    pub fingerprint: String,
    pub status: Status,
    pub reason: String,
    pub reviewer: String,
    pub decided_at: String,
}

/// Who the store names when it changes a status by itself.
const SELF_REVIEWER: &str = "fairscan";

impl Store {
    /// Records (or replaces) the decision on one finding of one document.
    pub fn decide(
        &mut self,
        document_id: i64,
        fingerprint: &str,
        status: Status,
        reason: &str,
        reviewer: &str,
    ) -> Result<()> {
        if status == Status::Dismissed && reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "驳回（dismissed）必须用 --reason 写明理由".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        let seq = next_sequence(&tx)?;
        tx.execute(
            "INSERT INTO decisions (document_id, fingerprint, status, reason, reviewer, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (document_id, fingerprint) DO UPDATE SET
                 status = excluded.status, reason = excluded.reason,
                 reviewer = excluded.reviewer, decided_at = excluded.decided_at",
            params![
                document_id,
                fingerprint,
                status.as_str(),
                reason,
                reviewer,
                now_utc()
            ],
        )?;
        tx.execute(
            "INSERT INTO decision_history (document_id, fingerprint, status, reason, reviewer,
                 decided_at)
             SELECT document_id, fingerprint, status, reason, reviewer, decided_at
             FROM decisions WHERE document_id = ?1 AND fingerprint = ?2",
            params![document_id, fingerprint],
        )?;
        // The document's index entries carry the status facets: re-index it.
        tx.execute(
            "UPDATE documents SET seq = ?1 WHERE id = ?2",
            params![seq, document_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The decision on one finding of one document, if any.
    pub fn decision(&self, document_id: i64, fingerprint: &str) -> Result<Option<Decision>> {
        Ok(self
            .conn
            .query_row(
                "SELECT document_id, fingerprint, status, reason, reviewer, decided_at
                 FROM decisions WHERE document_id = ?1 AND fingerprint = ?2",
                params![document_id, fingerprint],
                decision_from_row,
            )
            .optional()?)
    }

    /// Every decision recorded on one finding of one document, oldest first
    /// (the last one is the finding's status).
    pub fn history(&self, document_id: i64, fingerprint: &str) -> Result<Vec<Decision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT document_id, fingerprint, status, reason, reviewer, decided_at
             FROM decision_history WHERE document_id = ?1 AND fingerprint = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![document_id, fingerprint], decision_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every decision of one document, by fingerprint.
    pub fn decisions_of(&self, document_id: i64) -> Result<HashMap<String, Decision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT document_id, fingerprint, status, reason, reviewer, decided_at
             FROM decisions WHERE document_id = ?1",
        )?;
        let rows = stmt.query_map([document_id], decision_from_row)?;
        let mut out = HashMap::new();
        for d in rows {
            let d = d?;
            out.insert(d.fingerprint.clone(), d);
        }
        Ok(out)
    }

    /// Dismissed fingerprints (in any document), the latest decision for each:
    /// the same finding is suppressed wherever it occurs again.
    pub fn dismissed(&self) -> Result<HashMap<String, Decision>> {
        let mut stmt = self.conn.prepare(
            "SELECT document_id, fingerprint, status, reason, reviewer, decided_at
             FROM decisions WHERE status = 'dismissed' ORDER BY decided_at",
        )?;
        let rows = stmt.query_map([], decision_from_row)?;
        let mut out = HashMap::new();
        for d in rows {
            let d = d?;
            out.insert(d.fingerprint.clone(), d);
        }
        Ok(out)
    }
}

/// After a document's findings were replaced: open or confirmed findings that
/// no longer occur are marked fixed, fixed ones that came back are reopened.
pub(super) fn close_vanished(tx: &Transaction<'_>, document_id: i64) -> Result<()> {
    let now = now_utc();
    tx.execute(
        "UPDATE decisions SET status = 'fixed', reason = '条款已修改，该问题不再出现',
             reviewer = ?2, decided_at = ?3
         WHERE document_id = ?1 AND status IN ('open', 'confirmed')
           AND fingerprint NOT IN (SELECT fingerprint FROM findings WHERE document_id = ?1)",
        params![document_id, SELF_REVIEWER, now],
    )?;
    tx.execute(
        "UPDATE decisions SET status = 'open', reason = '修改后问题再次出现',
             reviewer = ?2, decided_at = ?3
         WHERE document_id = ?1 AND status = 'fixed'
           AND fingerprint IN (SELECT fingerprint FROM findings WHERE document_id = ?1)",
        params![document_id, SELF_REVIEWER, now],
    )?;
    Ok(())
}

fn decision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    let status: String = r.get(2)?;
    Ok(Decision {
        document_id: r.get(0)?,
        fingerprint: r.get(1)?,
        status: Status::parse(&status).unwrap_or(Status::Open),
        reason: r.get(3)?,
        reviewer: r.get(4)?,
        decided_at: r.get(5)?,
    })
}
