//! The reviewing commands: `extract`, `scan` and `check`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::{DataArgs, EXIT_CLEAN, EXIT_TROUBLE, ReviewArgs, exit_code};
use crate::document::Document;
use crate::limits::Limits;
use crate::record::Recorder;
use crate::report::{self, OutputFormat, Summary};
use crate::review::Review;
use crate::rules::RuleSet;
use crate::scan::{self, ScanOptions, Scanned};
use crate::store::StoreError;
use std::sync::Arc;

pub fn extract(file: PathBuf, json: bool, limits: &Limits) -> io::Result<u8> {
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

pub fn scan(
    paths: Vec<PathBuf>,
    format: OutputFormat,
    jobs: Option<usize>,
    out: Option<PathBuf>,
    data: Option<&DataArgs>,
    common: &ReviewArgs,
) -> io::Result<u8> {
    if let Some(code) = refuse_stdout(format, &out) {
        return Ok(code);
    }
    let rules = common.rule_set()?;
    let baseline = common.baseline()?;
    let mut recorder = match data {
        Some(d) => Some(Recorder::open(&d.dir, &rules, &paths).map_err(store_error)?),
        None => None,
    };
    let known = match &recorder {
        Some(r) => Some(Arc::new(r.known().map_err(store_error)?)),
        None => None,
    };
    let inputs = scan::collect_inputs(&paths);
    let mut reporter = report::reporter(format, open_sink(&out)?);
    let mut summary = Summary {
        skipped: inputs.skipped,
        ..Summary::default()
    };
    for failure in &inputs.failures {
        summary.add(failure);
        report::emit(reporter.as_mut(), failure)?;
    }
    let progress = progress_bar(inputs.files.len() as u64);
    let mut opts = ScanOptions::new(common.limits.to_limits(), jobs, rules);
    opts.known = known;
    let mut used = std::collections::HashSet::new();
    let wants_text = reporter.wants_text();
    let keep_text = wants_text || recorder.is_some();
    scan::run_scanned(&inputs.files, &opts, keep_text, |scanned| {
        progress.inc(1);
        let (mut review, text) = match (scanned, recorder.as_mut()) {
            (Scanned::Reviewed { key, review, text }, Some(r)) => {
                r.record(&key, *review, text).map_err(store_error)?
            }
            (Scanned::Reviewed { review, text, .. }, None) => (*review, text),
            (Scanned::Unchanged { key, path, .. }, Some(r)) => {
                r.stored(&key, &path, wants_text).map_err(store_error)?
            }
            (Scanned::Unchanged { path, .. }, None) => (
                Review::failed(
                    path,
                    "unknown",
                    None,
                    "internal",
                    "文件未经审查".to_string(),
                ),
                None,
            ),
        };
        if let Some(r) = &recorder {
            r.suppress(&mut review);
        }
        if let Some(b) = &baseline {
            b.apply(&mut review);
            used.extend(review.suppressed.iter().map(|s| s.fingerprint.clone()));
        }
        summary.add(&review);
        if let (Some(t), true) = (&text, wants_text) {
            reporter.document_text(&t.text, &t.blocks)?;
        }
        report::emit(reporter.as_mut(), &review)
    })?;
    progress.finish_and_clear();
    if let Some(r) = recorder {
        let (_, notes) = r.finish().map_err(store_error)?;
        for note in notes {
            eprintln!("fairscan: 注意：{note}");
        }
    }
    if let Some(b) = &baseline {
        summary.stale_baseline = b.stale(&used).len();
    }
    reporter.finish(&summary)?;
    Ok(exit_code(&summary, common.fail_level.into()))
}

pub fn check(
    file: PathBuf,
    format: OutputFormat,
    out: Option<PathBuf>,
    annotate: Option<PathBuf>,
    data: &DataArgs,
    common: &ReviewArgs,
) -> io::Result<u8> {
    if let Some(code) = refuse_stdout(format, &out) {
        return Ok(code);
    }
    let rules = common.rule_set()?;
    let (mut review, doc) = scan::review_file(&file, &common.limits.to_limits(), &rules);
    // Earlier reviews, when there are any, add similar findings and dismissals.
    match crate::record::consult(&data.dir, &scan::document_key(&file), &mut review) {
        Ok(notes) => notes.iter().for_each(|n| eprintln!("fairscan: 注意：{n}")),
        Err(e) => eprintln!("fairscan: 注意：未能读取审查记录库：{e}"),
    }
    if let Some(b) = common.baseline()? {
        b.apply(&mut review);
    }
    if let (Some(out), Some(doc)) = (&annotate, &doc) {
        let message = super::outputs::write_annotated(&file, out, &review, doc, &rules, common)?;
        eprintln!("fairscan: {message}");
    }
    let mut summary = Summary::default();
    summary.add(&review);
    let mut sink = open_sink(&out)?;
    if let (OutputFormat::Text, Some(doc)) = (format, &doc) {
        write_outline(&mut sink, doc)?;
    }
    let mut reporter = report::reporter(format, sink);
    if let Some(doc) = &doc {
        reporter.document_text(&doc.text, &doc.blocks)?;
    }
    report::emit(reporter.as_mut(), &review)?;
    reporter.finish(&summary)?;
    Ok(exit_code(&summary, common.fail_level.into()))
}

/// A usage error (exit 2) when a binary format would go to standard output.
fn refuse_stdout(format: OutputFormat, out: &Option<PathBuf>) -> Option<u8> {
    if format.needs_file() && out.is_none() {
        let name = format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        eprintln!(
            "fairscan: {name} 格式是二进制文件，不能写到标准输出：请用 --out 指定输出文件，例如 --out 审查结果.{name}"
        );
        return Some(EXIT_TROUBLE);
    }
    None
}

/// The report's destination: the `--out` file, or standard output.
fn open_sink(out: &Option<PathBuf>) -> io::Result<Box<dyn Write + Send>> {
    Ok(match out {
        Some(p) => Box::new(io::BufWriter::new(std::fs::File::create(p).map_err(
            |e| io::Error::new(e.kind(), format!("无法创建输出文件 {}：{e}", p.display())),
        )?)),
        None => Box::new(io::BufWriter::new(io::stdout())),
    })
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

/// A store failure as a command error (exit 2), with its Chinese message.
pub fn store_error(e: StoreError) -> io::Error {
    io::Error::other(e.to_string())
}
