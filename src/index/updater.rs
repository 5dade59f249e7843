//! Writing to the index while holding its lock: documents are replaced whole
//! (delete by id, add again), and every commit records the store state it
//! covers.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tantivy::{Index, IndexReader, IndexWriter, Term};

use super::entries::entries;
use super::{Fields, Marker, Result, marker_of, schema};
use crate::store::Store;

/// Commit at least this often during a long scan, so a crash loses little.
const COMMIT_EVERY_DOCS: usize = 2_000;
const COMMIT_EVERY: Duration = Duration::from_secs(10);

pub struct Updater {
    fields: Fields,
    reader: IndexReader,
    writer: IndexWriter,
    /// Store counter the last commit covered.
    marker: i64,
    /// Documents indexed since then, with the change counter they had.
    indexed: HashMap<i64, i64>,
    pending: usize,
    last_commit: Instant,
    /// Id of the store this updater follows.
    store: String,
}

impl Updater {
    /// An updater for `store`; an index built from another store is emptied.
    pub(super) fn new(
        index: &Index,
        fields: Fields,
        reader: IndexReader,
        writer: IndexWriter,
        store: &Store,
    ) -> Result<Updater> {
        let id = store.id()?;
        let marker = marker_of(index);
        let mut updater = Updater {
            marker: marker.as_ref().map_or(0, |m| m.seq),
            fields,
            reader,
            writer,
            indexed: HashMap::new(),
            pending: 0,
            last_commit: Instant::now(),
            store: id.clone(),
        };
        if marker.is_some_and(|m| m.store != id) {
            updater.clear()?;
        }
        Ok(updater)
    }

    /// Drops every entry (applied at the next commit).
    pub fn clear(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        self.marker = 0;
        self.indexed.clear();
        // Even an empty store needs the deletion committed.
        self.pending += 1;
        Ok(())
    }

    /// Replaces the entries of one stored document with its current review.
    pub fn put(&mut self, store: &Store, id: i64) -> Result<()> {
        let fields = self.fields;
        self.writer
            .delete_term(Term::from_field_u64(fields.doc_id, id.max(0) as u64));
        if let Some(doc) = store.load(id, None, true)? {
            let decisions = store.decisions_of(id)?;
            for entry in entries(&fields, &doc, &decisions) {
                self.writer.add_document(entry)?;
            }
            self.indexed.insert(id, doc.seq);
        }
        self.pending += 1;
        Ok(())
    }

    /// Indexes every document changed since the last commit that this
    /// updater has not indexed in its current state.
    pub fn catch_up(&mut self, store: &Store) -> Result<usize> {
        let mut n = 0;
        for (id, seq) in store.changed_since(self.marker)? {
            if self.indexed.get(&id) != Some(&seq) {
                self.put(store, id)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Commits when enough work or time has gone by.
    pub fn maybe_commit(&mut self, store: &Store) -> Result<()> {
        if self.pending >= COMMIT_EVERY_DOCS || self.last_commit.elapsed() >= COMMIT_EVERY {
            self.commit(store)?;
        }
        Ok(())
    }

    /// Catches up with the store and commits, recording the store state.
    pub fn commit(&mut self, store: &Store) -> Result<()> {
        let seq = store.sequence()?;
        let caught_up = self.catch_up(store)?;
        if self.pending == 0 && caught_up == 0 && seq == self.marker {
            // Nothing changed: no new commit (a re-scan of unchanged files).
            return Ok(());
        }
        let marker = Marker {
            version: schema::VERSION,
            store: self.store.clone(),
            seq,
        };
        let payload = serde_json::to_string(&marker).unwrap_or_default();
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.marker = seq;
        self.indexed.clear();
        self.pending = 0;
        self.last_commit = Instant::now();
        self.reader.reload()?;
        Ok(())
    }

    /// Commits and waits for background merges.
    pub fn finish(mut self, store: &Store) -> Result<()> {
        self.commit(store)?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
