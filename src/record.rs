//! Recording a batch: each review goes to the store of record (one
//! transaction per document) and then to the search index; unchanged files are
//! answered from the store; new findings are given similar earlier findings;
//! reviewers' dismissals are applied to what is reported.
//!
//! The index never holds up the store: when it cannot be opened or another
//! process holds its lock, the batch goes on and the index catches up the
//! next time it is opened (see `index`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::baseline::{Suppressed, fingerprint};
use crate::index::{SearchIndex, Updater};
use crate::review::Review;
use crate::rules::RuleSet;
use crate::scan::DocumentText;
use crate::store::{BatchCounts, Decision, Known, Result, Store};

/// Similar earlier findings attached to each new finding.
const SIMILAR_PER_FINDING: usize = 3;

pub struct Recorder {
    store: Store,
    rules_version: String,
    batch: i64,
    counts: BatchCounts,
    dismissed: HashMap<String, Decision>,
    index: Option<SearchIndex>,
    updater: Option<Updater>,
    /// Things the reviewer should know about the store or index (in Chinese).
    notes: Vec<String>,
}

impl Recorder {
    /// Opens the store in `folder` and starts a batch over `inputs`.
    pub fn open(folder: &Path, rules: &RuleSet, inputs: &[PathBuf]) -> Result<Recorder> {
        let mut store = Store::open(folder)?;
        let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        let batch = store.begin_batch(&rules.version, &shown)?;
        let dismissed = store.dismissed()?;
        let mut recorder = Recorder {
            store,
            rules_version: rules.version.clone(),
            batch,
            counts: BatchCounts::default(),
            dismissed,
            index: None,
            updater: None,
            notes: Vec::new(),
        };
        recorder.open_index(folder);
        Ok(recorder)
    }

    /// Opens the index and brings it up to the store, so similar findings are
    /// found among everything stored so far.
    fn open_index(&mut self, folder: &Path) {
        let index = match SearchIndex::open(folder) {
            Ok(index) => index,
            Err(e) => {
                self.notes
                    .push(format!("搜索索引无法打开，本次只写入审查记录库：{e}"));
                return;
            }
        };
        match index.updater(&self.store, 1) {
            Ok(Some(mut updater)) => {
                let caught_up = updater.catch_up(&self.store).and_then(|n| match n {
                    0 => Ok(()),
                    _ => updater.commit(&self.store),
                });
                match caught_up {
                    Ok(()) => self.updater = Some(updater),
                    Err(e) => self.notes.push(format!("搜索索引更新失败：{e}")),
                }
            }
            Ok(None) => self.notes.push(
                "搜索索引正由其他进程更新，本次只写入审查记录库；索引会在下次打开时自动补齐".into(),
            ),
            Err(e) => self.notes.push(format!("搜索索引无法写入：{e}")),
        }
        self.index = Some(index);
    }

    /// Messages for the reviewer about the store and the index.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Files whose stored review was made with the current rules.
    pub fn known(&self) -> Result<Known> {
        self.store.known(&self.rules_version)
    }

    /// Stores a fresh review; returns it with what the store added.
    pub fn record(
        &mut self,
        key: &Path,
        review: Review,
        text: Option<DocumentText>,
    ) -> Result<(Review, Option<DocumentText>)> {
        self.counts.files += 1;
        self.counts.analysed += 1;
        if review.error.is_some() {
            self.counts.failed += 1;
        }
        let mut review = review;
        if let Some(index) = &self.index {
            let earlier = self.store.document_id(key)?;
            for f in &mut review.findings {
                match index.similar(&f.text, earlier, SIMILAR_PER_FINDING) {
                    Ok(similar) => f.similar = similar,
                    Err(e) => {
                        self.notes.push(format!("查找相似问题失败：{e}"));
                        break;
                    }
                }
            }
        }
        let parts = text
            .as_ref()
            .map(|t| (t.text.as_str(), t.blocks.as_slice()));
        let id =
            self.store
                .save_review(key, &review, parts, &self.rules_version, Some(self.batch))?;
        self.index_document(id);
        Ok((review, text))
    }

    /// Puts a stored document into the index; on failure the index is left
    /// to catch up later.
    fn index_document(&mut self, id: i64) {
        let Some(updater) = &mut self.updater else {
            return;
        };
        let done = updater
            .put(&self.store, id)
            .and_then(|()| updater.maybe_commit(&self.store));
        if let Err(e) = done {
            self.notes
                .push(format!("搜索索引更新失败，将在下次打开时补齐：{e}"));
            self.updater = None;
        }
    }

    /// The stored review of an unchanged file, shown under `path`, with its
    /// text when `with_text` (for reporters that show it).
    pub fn stored(
        &mut self,
        key: &Path,
        path: &str,
        with_text: bool,
    ) -> Result<(Review, Option<DocumentText>)> {
        self.counts.files += 1;
        self.counts.unchanged += 1;
        let loaded = match self.store.document_id(key)? {
            Some(id) => self.store.load(id, Some(path), with_text)?,
            None => None,
        };
        Ok(match loaded {
            Some(doc) => {
                if doc.review.error.is_some() {
                    self.counts.failed += 1;
                }
                let text = doc.text.map(|text| DocumentText {
                    text,
                    blocks: doc.blocks,
                });
                (doc.review, text)
            }
            None => {
                self.counts.failed += 1;
                let review = Review::failed(
                    path.to_string(),
                    "unknown",
                    None,
                    "internal",
                    "审查记录库中找不到该文件的审查结果，请重新扫描".to_string(),
                );
                (review, None)
            }
        })
    }

    /// Moves findings a reviewer dismissed into `suppressed`, with the reason.
    pub fn suppress(&self, review: &mut Review) {
        suppress_dismissed(&self.dismissed, review);
    }

    pub fn counts(&self) -> BatchCounts {
        self.counts
    }

    /// Closes the batch and commits the index.
    pub fn finish(mut self) -> Result<(BatchCounts, Vec<String>)> {
        self.store.finish_batch(self.batch, self.counts)?;
        if let Some(updater) = self.updater.take()
            && let Err(e) = updater.finish(&self.store)
        {
            self.notes
                .push(format!("搜索索引提交失败，将在下次打开时补齐：{e}"));
        }
        Ok((self.counts, self.notes))
    }
}

/// Findings whose fingerprint a reviewer dismissed (in any document) are
/// listed as suppressed with the decision, never dropped.
pub fn suppress_dismissed(dismissed: &HashMap<String, Decision>, review: &mut Review) {
    if dismissed.is_empty() {
        return;
    }
    let mut kept = Vec::new();
    for f in std::mem::take(&mut review.findings) {
        let fp = fingerprint(&f);
        match dismissed.get(&fp) {
            Some(d) => review.suppressed.push(Suppressed {
                rule: f.rule,
                clause: f.clause,
                fingerprint: fp,
                reason: format!(
                    "已驳回（{}，{}）：{}",
                    d.reviewer,
                    d.decided_at.get(..10).unwrap_or(&d.decided_at),
                    d.reason
                ),
            }),
            None => kept.push(f),
        }
    }
    review.findings = kept;
}

/// For `check`: similar earlier findings and reviewers' dismissals from an
/// existing data folder, without recording anything. A missing data folder
/// adds nothing.
pub fn consult(folder: &Path, key: &Path, review: &mut Review) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    if !folder.join(crate::store::DATABASE_FILE).exists() {
        return Ok(notes);
    }
    let store = Store::open(folder)?;
    suppress_dismissed(&store.dismissed()?, review);
    let index = match SearchIndex::open(folder) {
        Ok(index) => index,
        Err(e) => {
            notes.push(format!("搜索索引无法打开，未查找相似问题：{e}"));
            return Ok(notes);
        }
    };
    if let Err(e) = index.sync(&store) {
        notes.push(format!("搜索索引更新失败：{e}"));
    }
    let own = store.document_id(key)?;
    for f in &mut review.findings {
        match index.similar(&f.text, own, SIMILAR_PER_FINDING) {
            Ok(similar) => f.similar = similar,
            Err(e) => {
                notes.push(format!("查找相似问题失败：{e}"));
                break;
            }
        }
    }
    Ok(notes)
}
