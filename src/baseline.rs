//! Suppressing known false alarms as data.
//!
//! A baseline file lists findings a reviewer has judged acceptable, each keyed
//! by a fingerprint of the rule and the normalised sentence text — documents
//! are rarely editable by the reviewer, and a fingerprint survives moves,
//! re-saves and format changes. Every entry carries a required reason.
//! Suppressed findings stay visible in the output with that reason.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::review::{Finding, Review};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    #[serde(default, rename = "entry")]
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub reason: String,
    /// The sentence, for the human reading the file.
    #[serde(default)]
    pub text: String,
    /// Where it was first seen.
    #[serde(default)]
    pub source: String,
}

/// A finding hidden by the baseline, reported instead of the finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Suppressed {
    pub rule: String,
    pub clause: String,
    pub fingerprint: String,
    pub reason: String,
}

/// Rule id + sentence with whitespace and punctuation removed.
pub fn fingerprint(f: &Finding) -> String {
    let normalised: String = f
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let digest = Sha256::digest(format!("{}\u{1F}{normalised}", f.rule).as_bytes());
    hex::encode(&digest[..8])
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let b: Baseline = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |s| crate::rules::pack::line_of(&text, s.start));
            format!("{}:{line}: {}", path.display(), e.message())
        })?;
        if let Some(e) = b.entries.iter().find(|e| e.reason.trim().is_empty()) {
            return Err(format!(
                "{}: 条目 {} 缺少理由（reason）",
                path.display(),
                e.fingerprint
            ));
        }
        Ok(b)
    }

    /// Loads the file, or an empty baseline when it does not exist yet.
    pub fn load_or_default(path: &Path) -> Result<Baseline, String> {
        if path.exists() {
            Baseline::load(path)
        } else {
            Ok(Baseline::default())
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = toml::to_string_pretty(self).map_err(|e| e.to_string())?;
        let header =
            "# fairscan 基线：经审查确认可以接受的问题条款。每条须写明理由（reason）。\n\n";
        std::fs::write(path, format!("{header}{text}"))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.entries.iter().any(|e| e.fingerprint == fingerprint)
    }

    /// Adds an entry for a finding unless present; returns whether it was added.
    pub fn add(&mut self, f: &Finding, reason: &str, source: &str) -> bool {
        let fp = fingerprint(f);
        if self.contains(&fp) {
            return false;
        }
        self.entries.push(Entry {
            fingerprint: fp,
            rule: f.rule.clone(),
            reason: reason.to_string(),
            text: f.text.clone(),
            source: source.to_string(),
        });
        true
    }

    /// Moves baselined findings of a review into its `suppressed` list.
    pub fn apply(&self, review: &mut Review) {
        if self.entries.is_empty() {
            return;
        }
        let mut kept = Vec::new();
        for f in std::mem::take(&mut review.findings) {
            let fp = fingerprint(&f);
            match self.entries.iter().find(|e| e.fingerprint == fp) {
                Some(e) => review.suppressed.push(Suppressed {
                    rule: f.rule,
                    clause: f.clause,
                    fingerprint: fp,
                    reason: e.reason.clone(),
                }),
                None => kept.push(f),
            }
        }
        review.findings = kept;
    }

    /// Entries no review used: the clause was changed or the document removed.
    pub fn stale<'a>(&'a self, used: &HashSet<String>) -> Vec<&'a Entry> {
        self.entries
            .iter()
            .filter(|e| !used.contains(&e.fingerprint))
            .collect()
    }
}
