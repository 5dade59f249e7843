//! The `tesseract` program: found once on `PATH`, checked for the
//! Simplified Chinese model, run once per page image.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use super::layout::{self, Paragraph};
use super::process::{self, RunError};
use super::tsv;
use crate::extract::{Context, ExtractError};

const INSTALL_HINT: &str = "请安装 tesseract-ocr 和 tesseract-ocr-chi-sim（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）";

/// Largest TSV output read for one image.
const MAX_TSV_BYTES: usize = 64 * 1024 * 1024;

/// One page of recognised text.
#[derive(Debug, Clone)]
pub struct RecognisedPage {
    /// 1-based page of the image file.
    pub number: u32,
    pub paragraphs: Vec<Paragraph>,
    /// Mean confidence over the page's characters (0–1).
    pub confidence: f32,
}

/// A usable tesseract installation.
#[derive(Debug, Clone)]
pub struct Ocr {
    program: PathBuf,
    /// `chi_sim`, or `chi_sim+eng` when the English model is there too.
    languages: String,
}

/// Outcome of looking for tesseract, kept for the whole run once it is
/// definite (found, or missing), so a batch probes only once.
static INSTALLED: Mutex<Option<Result<Ocr, String>>> = Mutex::new(None);

impl Ocr {
    /// The tesseract found on `PATH`, or `NeedsOcr` saying what to install.
    pub fn installed() -> Result<Ocr, ExtractError> {
        let mut cached = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = cached.as_ref() {
            return known.clone().map_err(ExtractError::NeedsOcr);
        }
        let found = match process::find_on_path(program_name()) {
            Some(path) => Ocr::with_program(&path),
            None => Err(missing_program()),
        };
        match found {
            Ok(ocr) => {
                *cached = Some(Ok(ocr.clone()));
                Ok(ocr)
            }
            Err(ExtractError::NeedsOcr(why)) => {
                *cached = Some(Err(why.clone()));
                Err(ExtractError::NeedsOcr(why))
            }
            Err(other) => Err(other),
        }
    }

    /// The tesseract at `program`, if it runs and has the Chinese model.
    pub fn with_program(program: &Path) -> Result<Ocr, ExtractError> {
        let workdir = tempfile::tempdir()?;
        let mut command = Command::new(program);
        command.arg("--list-langs");
        let out = match process::run(command, workdir.path(), None, process::PROBE_TIME) {
            Ok(out) => out,
            Err(RunError::NotFound) => return Err(missing_program()),
            Err(RunError::Failed(why)) => {
                return Err(ExtractError::NeedsOcr(format!(
                    "文字识别程序 tesseract 无法运行（{why}）。{INSTALL_HINT}"
                )));
            }
            Err(RunError::Fatal(e)) => return Err(e),
        };
        let listing =
            String::from_utf8_lossy(&process::read_output(&out, 1024 * 1024)?).into_owned();
        let has = |lang: &str| listing.lines().any(|l| l.trim() == lang);
        if !has("chi_sim") {
            return Err(ExtractError::NeedsOcr(format!(
                "文字识别程序 tesseract 缺少简体中文识别模型（chi_sim）。{INSTALL_HINT}"
            )));
        }
        let languages = if has("eng") { "chi_sim+eng" } else { "chi_sim" };
        Ok(Ocr {
            program: program.to_path_buf(),
            languages: languages.into(),
        })
    }

    /// Recognises the image file at `image` (PNG, JPEG, TIFF, PNM, BMP,
    /// GIF). `workdir` receives tesseract's output and is the caller's to
    /// remove.
    pub fn recognise(
        &self,
        image: &Path,
        workdir: &Path,
        ctx: &Context,
    ) -> Result<Vec<RecognisedPage>, ExtractError> {
        ctx.deadline.check()?;
        let mut command = Command::new(&self.program);
        command
            .arg(image)
            .arg("stdout")
            .args(["-l", &self.languages])
            // One uniform block of text: the layout of a document page.
            .args(["--psm", "6"])
            .arg("tsv")
            // Files run in parallel already; one thread each avoids
            // oversubscribing the cores.
            .env("OMP_THREAD_LIMIT", "1");
        let out = match process::run(command, workdir, Some(ctx), ctx.limits.max_time) {
            Ok(out) => out,
            Err(RunError::NotFound) => return Err(missing_program()),
            Err(RunError::Failed(why)) => {
                return Err(ExtractError::Corrupt(format!(
                    "文字识别程序无法读取该图像（{why}）"
                )));
            }
            Err(RunError::Fatal(e)) => return Err(e),
        };
        let tsv = process::read_output(&out, MAX_TSV_BYTES.min(ctx.limits.max_text_bytes * 8))?;
        Ok(pages(&tsv::parse(&String::from_utf8_lossy(&tsv))))
    }
}

/// Lines grouped by page, each page laid out into paragraphs.
fn pages(lines: &[tsv::Line]) -> Vec<RecognisedPage> {
    let mut out = Vec::new();
    let mut rest = lines;
    while let Some(first) = rest.first() {
        let n = rest.iter().take_while(|l| l.page == first.page).count();
        let (page, tail) = rest.split_at(n);
        rest = tail;
        let paragraphs = layout::paragraphs(page);
        let (weighted, chars) = paragraphs.iter().fold((0.0f32, 0usize), |(w, c), p| {
            let n = p.text.chars().count();
            (w + p.confidence * n as f32, c + n)
        });
        out.push(RecognisedPage {
            number: first.page,
            confidence: if chars == 0 {
                0.0
            } else {
                weighted / chars as f32
            },
            paragraphs,
        });
    }
    out
}

fn program_name() -> &'static str {
    if cfg!(windows) {
        "tesseract.exe"
    } else {
        "tesseract"
    }
}

fn missing_program() -> ExtractError {
    ExtractError::NeedsOcr(format!(
        "未找到文字识别程序 tesseract，无法识别扫描件或图片中的文字。{INSTALL_HINT}"
    ))
}
