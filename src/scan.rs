//! Batch orchestration: walk inputs, review files in parallel, stream results.
//!
//! Every file yields exactly one [`Review`] — a result or a per-file error —
//! and nothing a single file does can stop the batch.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::extract::{self, Block, sniff};
use crate::limits::Limits;
use crate::review::Review;
use crate::rules::RuleSet;
use crate::segment::Segmenter;
use crate::store::Known;

/// File extensions picked up when walking folders. Files named explicitly on
/// the command line are always reviewed, whatever their name.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "docx", "docm", "doc", "wps", "wpt", "dot", "dotx", "pdf", "ofd", "html",
    "htm", "shtml", "xhtml", "mht", "mhtml", "rtf", "odt", "xls", "xlsx", "et", "png", "jpg",
    "jpeg", "tif", "tiff", "bmp", "gif",
];

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub limits: Limits,
    /// Worker threads; `None` lets rayon use every core.
    pub jobs: Option<usize>,
    pub rules: Arc<RuleSet>,
    /// Hashes of stored reviews made with these rules, by canonical path: a
    /// file with the same hash is reported as [`Scanned::Unchanged`].
    pub known: Option<Arc<Known>>,
}

impl ScanOptions {
    pub fn new(limits: Limits, jobs: Option<usize>, rules: Arc<RuleSet>) -> Self {
        ScanOptions {
            limits,
            jobs,
            rules,
            known: None,
        }
    }
}

/// What the batch made of one file.
#[derive(Debug)]
pub enum Scanned {
    /// Analysed now; `key` is the canonical path the store files it under.
    Reviewed {
        key: PathBuf,
        review: Box<Review>,
        text: Option<DocumentText>,
    },
    /// Same bytes and rules as its stored review: only hashed.
    Unchanged {
        key: PathBuf,
        path: String,
        sha256: String,
    },
}

/// The path a file is stored under: canonical, so `./a.txt` and `docs/../a.txt`
/// are one document.
pub fn document_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The files a batch will review, plus reviews for paths that failed during the walk.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<PathBuf>,
    pub failures: Vec<Review>,
    /// Files seen in folders but skipped (hidden, temporary, not a document type).
    pub skipped: usize,
}

/// Walks the given paths. Symlinks are followed, loops are reported, hidden
/// and Office lock files (`~$x.docx`) are skipped. Output is sorted per input.
pub fn collect_inputs(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for root in paths {
        if root.is_file() {
            inputs.files.push(root.clone());
            continue;
        }
        if !root.exists() {
            inputs.failures.push(Review::failed(
                root.display().to_string(),
                "unknown",
                None,
                "io",
                "路径不存在".to_string(),
            ));
            continue;
        }
        let mut found = Vec::new();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temp(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if has_document_extension(e.path()) {
                        found.push(e.into_path());
                    } else {
                        inputs.skipped += 1;
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let message = if err.loop_ancestor().is_some() {
                        "符号链接形成循环，已跳过".to_string()
                    } else {
                        format!("无法访问：{err}")
                    };
                    inputs
                        .failures
                        .push(Review::failed(path, "unknown", None, "io", message));
                }
            }
        }
        found.sort();
        inputs.files.extend(found);
    }
    inputs
}

fn is_hidden_or_temp(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with("~$")
        || name.starts_with("~WRL")
        || name.ends_with(".tmp")
}

fn has_document_extension(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.as_str()))
}

/// Reads, extracts and structures one file. Never panics: an internal failure
/// becomes an `internal` error on this file only.
pub fn review_file(path: &Path, limits: &Limits, rules: &RuleSet) -> (Review, Option<Document>) {
    guarded(|| match read_file(path, limits) {
        Ok((bytes, sha)) => review_bytes(path, bytes, sha, limits, rules),
        Err(failed) => (*failed, None),
    })
    .unwrap_or_else(|| (internal_failure(path), None))
}

/// Runs `work` on one file; `None` when it panicked (see [`internal_failure`]).
fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(work)).ok()
}

/// The review of a file whose processing panicked.
fn internal_failure(path: &Path) -> Review {
    Review::failed(
        path.display().to_string(),
        sniff::format_from_name(&path.to_string_lossy()).as_str(),
        None,
        "internal",
        "处理该文件时发生内部错误，已跳过".to_string(),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file's bytes and their SHA-256, or the review of a file that could not be read.
fn read_file(path: &Path, limits: &Limits) -> Result<(Vec<u8>, String), Box<Review>> {
    match extract::read_limited(path, limits.max_file_bytes) {
        Ok(bytes) => {
            let sha = hex::encode(Sha256::digest(&bytes));
            Ok((bytes, sha))
        }
        Err(e) => Err(Box::new(Review::of_error(
            path.display().to_string(),
            sniff::format_from_name(&file_name(path)),
            None,
            &e,
        ))),
    }
}

fn review_bytes(
    path: &Path,
    bytes: Vec<u8>,
    sha: String,
    limits: &Limits,
    rules: &RuleSet,
) -> (Review, Option<Document>) {
    let shown = path.display().to_string();
    let name = file_name(path);
    let (format, result) = extract::extract_bytes(&bytes, &name, limits);
    drop(bytes);
    match result {
        Ok(ex) => {
            let doc = Document::from_extracted(ex);
            let mut review = Review::of_document(shown, format, sha, &doc);
            let (findings, warning) = rules.evaluate_with_warnings(&doc, Segmenter::global());
            review.findings = findings;
            review.warnings.extend(warning);
            (review, Some(doc))
        }
        Err(e) => (Review::of_error(shown, format, Some(sha), &e), None),
    }
}

/// A reviewed document's text and blocks, kept for reporters that show it.
#[derive(Debug, Clone)]
pub struct DocumentText {
    pub text: String,
    pub blocks: Vec<Block>,
}

/// Reviews every file in parallel and hands each review to `sink` in input
/// order. Memory stays bounded by the documents in flight, not the batch.
pub fn run<F>(files: &[PathBuf], opts: &ScanOptions, mut sink: F) -> std::io::Result<()>
where
    F: FnMut(Review) -> std::io::Result<()> + Send,
{
    run_keeping_text(files, opts, false, |review, _| sink(review))
}

/// Like [`run`], and with `keep_text` also hands over the text of each file
/// that was read (only as many texts are held as documents are in flight).
pub fn run_keeping_text<F>(
    files: &[PathBuf],
    opts: &ScanOptions,
    keep_text: bool,
    mut sink: F,
) -> std::io::Result<()>
where
    F: FnMut(Review, Option<DocumentText>) -> std::io::Result<()> + Send,
{
    let opts = ScanOptions {
        known: None,
        ..opts.clone()
    };
    run_scanned(files, &opts, keep_text, |scanned| match scanned {
        Scanned::Reviewed { review, text, .. } => sink(*review, text),
        // Without `known` every file is analysed.
        Scanned::Unchanged { .. } => Ok(()),
    })
}

/// One file of a batch: hashed, compared with its stored review, analysed
/// only when it changed.
fn scan_one(path: &Path, opts: &ScanOptions, keep_text: bool) -> Scanned {
    let key = document_key(path);
    let reviewed = |(review, doc): (Review, Option<Document>)| Scanned::Reviewed {
        key: key.clone(),
        review: Box::new(review),
        text: doc.filter(|_| keep_text).map(|d| DocumentText {
            text: d.text,
            blocks: d.blocks,
        }),
    };
    let result = guarded(|| match read_file(path, &opts.limits) {
        Err(failed) => Ok((*failed, None)),
        Ok((bytes, sha)) => {
            let stored = opts.known.as_ref().and_then(|k| k.get(&key));
            if stored == Some(&sha) {
                Err(sha)
            } else {
                Ok(review_bytes(path, bytes, sha, &opts.limits, &opts.rules))
            }
        }
    });
    match result {
        Some(Ok(pair)) => reviewed(pair),
        None => reviewed((internal_failure(path), None)),
        Some(Err(sha256)) => Scanned::Unchanged {
            key: key.clone(),
            path: path.display().to_string(),
            sha256,
        },
    }
}

/// Reviews every file in parallel (skipping unchanged ones when
/// `opts.known` is set) and hands each result to `sink` in input order.
pub fn run_scanned<F>(
    files: &[PathBuf],
    opts: &ScanOptions,
    keep_text: bool,
    mut sink: F,
) -> std::io::Result<()>
where
    F: FnMut(Scanned) -> std::io::Result<()> + Send,
{
    let mut builder = rayon::ThreadPoolBuilder::new()
        // Deeply nested hostile files recurse in third-party parsers: give
        // workers room so a bomb fails cleanly instead of overflowing.
        .stack_size(64 * 1024 * 1024)
        .thread_name(|i| format!("fairscan-worker-{i}"));
    if let Some(n) = opts.jobs {
        builder = builder.num_threads(n.max(1));
    }
    let pool = builder.build().map_err(std::io::Error::other)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Scanned)>(64);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                files
                    .par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (i, path)| {
                        let _ = tx.send((i, scan_one(path, opts, keep_text)));
                    });
            });
        });
        // Re-order: results arrive as workers finish; emit them in input order.
        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0usize;
        for (i, scanned) in rx {
            pending.insert(i, scanned);
            while let Some(scanned) = pending.remove(&next) {
                sink(scanned)?;
                next += 1;
            }
        }
        Ok(())
    })
}
