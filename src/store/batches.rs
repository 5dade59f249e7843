//! Batches: one row per `scan` run, so a reviewer can tell when and with which
//! rules the stored reviews were made.

use rusqlite::params;

use super::{Result, Store, now_utc};

/// What a batch did, written when it finishes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub files: usize,
    /// Reviews made afresh.
    pub analysed: usize,
    /// Files with the same bytes and rules as their stored review.
    pub unchanged: usize,
    pub failed: usize,
}

impl Store {
    /// Starts a batch and returns its id.
    pub fn begin_batch(&mut self, rules_version: &str, inputs: &[String]) -> Result<i64> {
        Ok(self.conn.query_row(
            "INSERT INTO batches (started_at, rules_version, inputs) VALUES (?1, ?2, ?3)
             RETURNING id",
            params![now_utc(), rules_version, serde_json::to_string(inputs)?],
            |r| r.get(0),
        )?)
    }

    pub fn finish_batch(&mut self, id: i64, counts: BatchCounts) -> Result<()> {
        self.conn.execute(
            "UPDATE batches SET finished_at = ?2, files = ?3, analysed = ?4, unchanged = ?5,
                 failed = ?6 WHERE id = ?1",
            params![
                id,
                now_utc(),
                counts.files as i64,
                counts.analysed as i64,
                counts.unchanged as i64,
                counts.failed as i64
            ],
        )?;
        Ok(())
    }
}
