//! `fairscan rules list|check` and `fairscan eval`: rule tooling for reviewers.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE};
use crate::rules::RuleSet;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules: id, item, level, title.
    List {
        /// Extra rule packs to include.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Validate a rule pack folder and run its examples.
    Check { dir: PathBuf },
}

pub fn run(cmd: RulesCommand) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    match cmd {
        RulesCommand::List { rules } => {
            let set = match RuleSet::load(&rules) {
                Ok(s) => s,
                Err(e) => return report_error(&e.to_string()),
            };
            for r in set.rules() {
                writeln!(
                    out,
                    "{}\t{}({})\t{}\t{}",
                    r.id,
                    r.article,
                    r.item,
                    r.level.as_str(),
                    r.title
                )?;
            }
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Check { dir } => check(&dir, &mut out),
    }
}

fn report_error(message: &str) -> io::Result<u8> {
    eprintln!("{message}");
    Ok(EXIT_TROUBLE)
}

fn check(dir: &Path, out: &mut dyn Write) -> io::Result<u8> {
    let set = match RuleSet::load_pack(dir) {
        Ok(s) => s,
        Err(e) => return report_error(&e.to_string()),
    };
    let failures = set.check_examples();
    let count = set.rules().count();
    for f in &failures {
        writeln!(out, "{}: {f}", dir.display())?;
    }
    if failures.is_empty() {
        writeln!(out, "{count} 条规则有效，全部示例通过。")?;
        Ok(EXIT_CLEAN)
    } else {
        writeln!(out, "{count} 条规则中有 {} 个示例未通过。", failures.len())?;
        Ok(EXIT_FINDINGS)
    }
}

fn jsonl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

/// `fairscan eval`: a folder with `expected/` is a corpus; any other folder or
/// file holds labeled clauses (JSON Lines).
pub fn eval(paths: &[PathBuf], extra: &[PathBuf], verbose: bool, no_model: bool) -> io::Result<u8> {
    let set = match RuleSet::load(extra) {
        Ok(s) if no_model => s.without_model(),
        Ok(s) => s,
        Err(e) => return report_error(&e.to_string()),
    };
    let mut out = io::stdout().lock();
    for path in paths {
        let report = if path.join("expected").is_dir() {
            crate::eval::eval_corpus(&set, path)
        } else if path.is_dir() {
            crate::eval::eval_labeled(&set, &jsonl_files(path))
        } else {
            crate::eval::eval_labeled(&set, std::slice::from_ref(path))
        };
        match report {
            Ok(r) => {
                writeln!(out, "== {}", path.display())?;
                write!(out, "{}", r.render())?;
                if verbose {
                    for n in &r.notes {
                        writeln!(out, "  {n}")?;
                    }
                }
            }
            Err(e) => return report_error(&e),
        }
    }
    Ok(EXIT_CLEAN)
}
