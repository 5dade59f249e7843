//! `fairscan baseline add|list|prune`: suppress reviewed false alarms as data.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{EXIT_CLEAN, EXIT_TROUBLE};
use crate::baseline::{Baseline, fingerprint};
use crate::limits::Limits;
use crate::rules::RuleSet;
use crate::scan;

pub const DEFAULT_BASELINE: &str = "fairscan-baseline.toml";

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Record the current findings of documents as accepted, with a reason.
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Why these findings are acceptable (required).
        #[arg(long, required = true)]
        reason: String,
        /// Only findings of these rules (default: all).
        #[arg(long = "rule", value_name = "ID")]
        rules: Vec<String>,
        #[arg(long, default_value = DEFAULT_BASELINE)]
        baseline: PathBuf,
    },
    /// List the entries of a baseline file.
    List {
        #[arg(long, default_value = DEFAULT_BASELINE)]
        baseline: PathBuf,
    },
    /// Remove entries that no finding in the given documents matches any more.
    Prune {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_BASELINE)]
        baseline: PathBuf,
    },
}

pub fn run(cmd: BaselineCommand) -> io::Result<u8> {
    let result = match cmd {
        BaselineCommand::Add {
            paths,
            reason,
            rules,
            baseline,
        } => add(&paths, &reason, &rules, &baseline),
        BaselineCommand::List { baseline } => list(&baseline),
        BaselineCommand::Prune { paths, baseline } => prune(&paths, &baseline),
    };
    match result {
        Ok(()) => Ok(EXIT_CLEAN),
        Err(e) => {
            eprintln!("fairscan: {e}");
            Ok(EXIT_TROUBLE)
        }
    }
}

/// Every finding in the documents under `paths`, with the file it came from.
fn findings_in(paths: &[PathBuf]) -> Vec<(String, crate::review::Finding)> {
    let inputs = scan::collect_inputs(paths);
    let mut out = Vec::new();
    for file in &inputs.files {
        let (review, _) = scan::review_file(file, &Limits::default(), RuleSet::embedded());
        out.extend(
            review
                .findings
                .into_iter()
                .map(|f| (review.path.clone(), f)),
        );
    }
    out
}

fn add(paths: &[PathBuf], reason: &str, rules: &[String], path: &Path) -> Result<(), String> {
    if reason.trim().is_empty() {
        return Err("必须用 --reason 写明理由".into());
    }
    let mut baseline = Baseline::load_or_default(path)?;
    let mut added = 0;
    for (source, f) in findings_in(paths) {
        if (rules.is_empty() || rules.contains(&f.rule)) && baseline.add(&f, reason, &source) {
            added += 1;
        }
    }
    baseline.save(path)?;
    println!(
        "已向 {} 添加 {added} 条，共 {} 条。",
        path.display(),
        baseline.entries.len()
    );
    Ok(())
}

fn list(path: &Path) -> Result<(), String> {
    let baseline = Baseline::load(path)?;
    let mut out = io::stdout().lock();
    for e in &baseline.entries {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            e.fingerprint, e.rule, e.reason, e.text
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn prune(paths: &[PathBuf], path: &Path) -> Result<(), String> {
    let mut baseline = Baseline::load(path)?;
    let seen: HashSet<String> = findings_in(paths)
        .iter()
        .map(|(_, f)| fingerprint(f))
        .collect();
    let stale: Vec<String> = baseline
        .stale(&seen)
        .iter()
        .map(|e| e.fingerprint.clone())
        .collect();
    for fp in &stale {
        if let Some(e) = baseline.entries.iter().find(|e| &e.fingerprint == fp) {
            println!("删除过期条目 {} {}：{}", e.fingerprint, e.rule, e.text);
        }
    }
    baseline.entries.retain(|e| !stale.contains(&e.fingerprint));
    baseline.save(path)?;
    println!(
        "删除 {} 条过期条目，保留 {} 条。",
        stale.len(),
        baseline.entries.len()
    );
    Ok(())
}
