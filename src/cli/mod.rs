//! Command-line front: parse flags into a plan, run it, map the outcome to an exit code.
//!
//! Exit codes (one contract for every format):
//! 0 = no finding at or above the failing level; 1 = findings at or above it;
//! 2 = usage or configuration error, or some files could not be read.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

mod baseline;
mod decisions;
mod model;
mod outputs;
mod review;
mod rules;
mod search;
mod serve;

use crate::baseline::Baseline;
use crate::limits::{self, Limits, MB};
use crate::report::{OutputFormat, Summary};
use crate::review::Level;
use crate::rules::RuleSet;
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
        /// Do not record the reviews in the data folder.
        #[arg(long)]
        no_store: bool,
        #[command(flatten)]
        data: DataArgs,
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
        /// Rules only: no learned second opinion.
        #[arg(long)]
        no_model: bool,
    },
    /// The learned second opinion: train its model.
    #[command(subcommand)]
    Model(model::ModelCommand),
    /// Suppress reviewed false alarms: add, list or prune baseline entries.
    #[command(subcommand)]
    Baseline(baseline::BaselineCommand),
    /// Rule tooling: list the rules, validate a reviewer's own pack.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Search the stored reviews: documents and findings, with facet counts.
    Search(search::SearchArgs),
    /// Rebuild the search index from the review store.
    Reindex {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Reviewers' decisions on stored findings: list, mark.
    #[command(subcommand)]
    Review(decisions::ReviewCommand),
    /// Review one document in detail (for drafters).
    Check {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Write the report here instead of standard output.
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        /// Also write a Word copy of the document with one comment per finding.
        #[arg(long, value_name = "OUT.docx")]
        annotate: Option<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        common: ReviewArgs,
    },
    /// Write a Word copy of one document with one review comment per finding
    /// (a .docx keeps its own formatting; other formats become a new .docx).
    Annotate {
        file: PathBuf,
        #[arg(long, short = 'o', value_name = "OUT.docx")]
        out: PathBuf,
        #[command(flatten)]
        common: ReviewArgs,
    },
    /// Start the local web workbench (upload, review, batches, search, rules).
    Serve(serve::ServeArgs),
    /// Fill the review form (公平竞争审查表) of one document from a Word template.
    Form {
        file: PathBuf,
        #[arg(long, short = 'o', value_name = "OUT.docx")]
        out: PathBuf,
        /// A province's own template with {{…}} placeholders (default: the embedded one).
        #[arg(long, value_name = "TEMPLATE.docx")]
        template: Option<PathBuf>,
        #[command(flatten)]
        common: ReviewArgs,
    },
}

/// Where reviews, decisions and the search index are kept.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Data folder (review store and search index).
    #[arg(
        long = "data",
        env = "FAIRSCAN_DATA",
        default_value = ".fairscan",
        value_name = "DIR"
    )]
    pub dir: PathBuf,
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
    /// Rules only: no learned second opinion.
    #[arg(long)]
    pub no_model: bool,
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
            .map(|set| {
                if self.no_model {
                    set.without_model()
                } else {
                    set
                }
            })
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
        Command::Extract { file, json, limits } => review::extract(file, json, &limits.to_limits()),
        Command::Scan {
            paths,
            format,
            jobs,
            out,
            no_store,
            data,
            common,
        } => {
            let data = (!no_store).then_some(data);
            review::scan(paths, format, jobs, out, data.as_ref(), &common)
        }
        Command::Check {
            file,
            format,
            out,
            annotate,
            data,
            common,
        } => review::check(file, format, out, annotate, &data, &common),
        Command::Annotate { file, out, common } => outputs::annotate(&file, &out, &common),
        Command::Form {
            file,
            out,
            template,
            common,
        } => outputs::form(&file, &out, template.as_deref(), &common),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Search(args) => search::search(&args),
        Command::Reindex { data } => search::reindex(&data),
        Command::Review(cmd) => decisions::run(cmd),
        Command::Serve(args) => serve::serve(args),
        Command::Baseline(cmd) => baseline::run(cmd),
        Command::Eval {
            paths,
            rules,
            verbose,
            no_model,
        } => rules::eval(&paths, &rules, verbose, no_model),
        Command::Model(cmd) => model::run(cmd),
    }
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
