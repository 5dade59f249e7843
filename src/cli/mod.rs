//! Command-line front: parse flags into a plan, run it, map the outcome to an exit code.
//!
//! Exit codes (one contract for every format):
//! 0 = no finding at or above the failing level; 1 = findings at or above it;
//! 2 = usage or configuration error, or some files could not be read.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

mod baseline;
mod rules;

use crate::baseline::Baseline;
use crate::document::Document;
use crate::limits::{self, Limits, MB};
use crate::report::{self, OutputFormat, Summary};
use crate::review::Level;
use crate::rules::RuleSet;
use crate::scan::{self, ScanOptions};
use std::sync::Arc;

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_TROUBLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "fairscan",
    version,
    about = "公平竞争审查：检查政策措施文件中可能排除、限制竞争的条款"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the extracted text of one file (the text finding offsets refer to).
    Extract {
        file: PathBuf,
        /// Print text, metadata, blocks, clause tree and sentences as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Review files and folders in parallel.
    Scan {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Worker threads (default: all cores).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// Write the report here instead of standard output.
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        #[command(flatten)]
        common: ReviewArgs,
    },
    /// Measure accuracy on labeled clauses (.jsonl files) or a corpus folder with expected/.
    Eval {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Extra rule packs to include.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Also list every miss and false alarm.
        #[arg(long, short = 'v')]
        verbose: bool,
    },
    /// Suppress reviewed false alarms: add, list or prune baseline entries.
    #[command(subcommand)]
    Baseline(baseline::BaselineCommand),
    /// Rule tooling: list the rules, validate a reviewer's own pack.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Review one document in detail (for drafters).
    Check {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        common: ReviewArgs,
    },
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Lowest finding level that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailLevel::Warning)]
    pub fail_level: FailLevel,
    /// Extra rule packs (folders of .toml files) added to the embedded ones.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Hide findings recorded in this baseline file (they are listed as suppressed).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Suggestion,
}

impl From<FailLevel> for Level {
    fn from(l: FailLevel) -> Level {
        match l {
            FailLevel::Error => Level::Error,
            FailLevel::Warning => Level::Warning,
            FailLevel::Suggestion => Level::Suggestion,
        }
    }
}

/// Resource limits for untrusted files.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest file accepted, in MB.
    #[arg(long, default_value_t = limits::DEFAULT_MAX_FILE_MB, value_name = "MB")]
    pub max_file_mb: u64,
    /// Largest total decompressed size of one docx/ofd, in MB.
    #[arg(long, default_value_t = limits::DEFAULT_MAX_DECOMPRESSED_MB, value_name = "MB")]
    pub max_decompressed_mb: u64,
    /// Largest decompressed/compressed ratio of one archive entry.
    #[arg(long, default_value_t = limits::DEFAULT_MAX_RATIO)]
    pub max_ratio: u64,
    /// Deepest XML/HTML element nesting accepted.
    #[arg(long, default_value_t = limits::DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,
    /// Longest time spent extracting one file, in seconds.
    #[arg(long, default_value_t = limits::DEFAULT_TIMEOUT_SECS, value_name = "SECONDS")]
    pub timeout: u64,
}

impl ReviewArgs {
    fn baseline(&self) -> io::Result<Option<Arc<Baseline>>> {
        match &self.baseline {
            None => Ok(None),
            Some(p) => Baseline::load(p)
                .map(|b| Some(Arc::new(b)))
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
        }
    }

    fn rule_set(&self) -> io::Result<Arc<RuleSet>> {
        RuleSet::load(&self.rules)
            .map(Arc::new)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    }
}

impl LimitArgs {
    pub fn to_limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_mb.saturating_mul(MB),
            max_decompressed_bytes: self.max_decompressed_mb.saturating_mul(MB),
            max_compression_ratio: self.max_ratio.max(1),
            max_depth: self.max_depth.max(1),
            max_time: Duration::from_secs(self.timeout.max(1)),
            ..Limits::default()
        }
    }
}

/// Parses the process arguments and runs; returns the exit code.
pub fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_CLEAN
            };
        }
    };
    match execute(cli) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            eprintln!("fairscan: {e}");
            EXIT_TROUBLE
        }
    }
}

fn execute(cli: Cli) -> io::Result<u8> {
    match cli.command {
        Command::Extract { file, json, limits } => extract(file, json, &limits.to_limits()),
        Command::Scan {
            paths,
            format,
            jobs,
            out,
            common,
        } => scan_command(paths, format, jobs, out, &common),
        Command::Check {
            file,
            format,
            common,
        } => check(file, format, &common),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Baseline(cmd) => baseline::run(cmd),
        Command::Eval {
            paths,
            rules,
            verbose,
        } => rules::eval(&paths, &rules, verbose),
    }
}

fn extract(file: PathBuf, json: bool, limits: &Limits) -> io::Result<u8> {
    let (review, doc) = scan::review_file(&file, limits, RuleSet::embedded());
    let mut out = io::stdout().lock();
    let Some(doc) = doc else {
        if let Some(e) = &review.error {
            eprintln!("fairscan: {}: {}", review.path, e.message);
        }
        return Ok(EXIT_TROUBLE);
    };
    if json {
        let value = serde_json::json!({
            "path": review.path,
            "format": review.format,
            "sha256": review.sha256,
            "chars": doc.chars,
            "text": doc.text,
            "meta": doc.meta,
            "warnings": doc.warnings,
            "blocks": doc.blocks,
            "clauses": clause_tree(&doc),
            "sentences": doc.sentences,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        out.write_all(doc.text.as_bytes())?;
        if !doc.text.is_empty() {
            writeln!(out)?;
        }
    }
    for w in &doc.warnings {
        eprintln!("fairscan: 注意：{w}");
    }
    Ok(EXIT_CLEAN)
}

/// Clauses with their citations, for `extract --json`.
fn clause_tree(doc: &Document) -> Vec<serde_json::Value> {
    doc.clauses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "index": i,
                "kind": c.kind,
                "label": c.label,
                "citation": doc.citation(i),
                "start": c.start,
                "end": c.end,
                "block": c.line,
                "parent": c.parent,
                "children": c.children,
            })
        })
        .collect()
}

fn scan_command(
    paths: Vec<PathBuf>,
    format: OutputFormat,
    jobs: Option<usize>,
    out: Option<PathBuf>,
    common: &ReviewArgs,
) -> io::Result<u8> {
    let rules = common.rule_set()?;
    let baseline = common.baseline()?;
    let inputs = scan::collect_inputs(&paths);
    let sink: Box<dyn Write + Send> = match &out {
        Some(p) => Box::new(io::BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(io::BufWriter::new(io::stdout())),
    };
    let mut reporter = report::reporter(format, sink);
    let mut summary = Summary {
        skipped: inputs.skipped,
        ..Summary::default()
    };
    for failure in &inputs.failures {
        summary.add(failure);
        report::emit(reporter.as_mut(), failure)?;
    }
    let progress = progress_bar(inputs.files.len() as u64);
    let opts = ScanOptions::new(common.limits.to_limits(), jobs, rules);
    let mut used = std::collections::HashSet::new();
    scan::run(&inputs.files, &opts, |mut review| {
        progress.inc(1);
        if let Some(b) = &baseline {
            b.apply(&mut review);
            used.extend(review.suppressed.iter().map(|s| s.fingerprint.clone()));
        }
        summary.add(&review);
        report::emit(reporter.as_mut(), &review)
    })?;
    progress.finish_and_clear();
    if let Some(b) = &baseline {
        summary.stale_baseline = b.stale(&used).len();
    }
    reporter.finish(&summary)?;
    Ok(exit_code(&summary, common.fail_level.into()))
}

fn check(file: PathBuf, format: OutputFormat, common: &ReviewArgs) -> io::Result<u8> {
    let rules = common.rule_set()?;
    let (mut review, doc) = scan::review_file(&file, &common.limits.to_limits(), &rules);
    if let Some(b) = common.baseline()? {
        b.apply(&mut review);
    }
    let mut summary = Summary::default();
    summary.add(&review);
    let mut out = io::BufWriter::new(io::stdout());
    if let (OutputFormat::Text, Some(doc)) = (format, &doc) {
        write_outline(&mut out, doc)?;
    }
    let mut reporter = report::reporter(format, Box::new(out));
    report::emit(reporter.as_mut(), &review)?;
    reporter.finish(&summary)?;
    Ok(exit_code(&summary, common.fail_level.into()))
}

/// The drafter's view: where the document's structure stands before findings.
fn write_outline(out: &mut dyn Write, doc: &Document) -> io::Result<()> {
    let attachments: Vec<String> = doc
        .meta
        .attachments
        .iter()
        .map(|a| match &a.title {
            Some(t) => format!("{}《{}》", a.label, t),
            None => a.label.clone(),
        })
        .collect();
    writeln!(
        out,
        "结构：{} 个条款，{} 个句子{}",
        doc.clauses.len(),
        doc.sentences.len(),
        if attachments.is_empty() {
            String::new()
        } else {
            format!("；附件：{}", attachments.join("，"))
        }
    )
}

fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} 个文件 {elapsed_precise} 剩余约 {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

pub fn exit_code(summary: &Summary, fail_level: Level) -> u8 {
    if summary.failed > 0 {
        EXIT_TROUBLE
    } else if summary.at_or_above(fail_level) > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
