//! Pages without a usable text layer, read by OCR.

use lopdf::Document;

use super::page_image::{ImageError, PdfOnDisk, ScanPage, page_image};
use super::page_list;
use crate::extract::ocr::{self, MIN_PAGE_CONFIDENCE, Ocr, RecognisedPage, percent};
use crate::extract::{Context, ExtractError};

/// What OCR made of the pages it was given.
#[derive(Default)]
pub struct Scans {
    /// Pages whose text is used, by page number, in page order.
    pub pages: Vec<(u32, RecognisedPage)>,
    /// Pages read with too little confidence to use.
    doubtful: Vec<(u32, f32)>,
    /// Pages where nothing was recognised.
    empty: Vec<u32>,
    /// Pages that could not be recognised, and why.
    failed: Vec<(u32, String)>,
    /// Why OCR cannot run on this machine, when it cannot.
    unavailable: Option<String>,
}

#[cfg(test)]
thread_local! {
    /// Lets the parser fuzz test skip the slow recognition on most rounds.
    pub static SKIP_IN_TEST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Recognises each page in turn. Only a timeout stops the file; every
/// other problem is recorded for the page and the next page is tried.
pub fn recognise(
    doc: &Document,
    bytes: &[u8],
    pages: &[ScanPage],
    ctx: &Context,
) -> Result<Scans, ExtractError> {
    let mut scans = Scans::default();
    if pages.is_empty() {
        return Ok(scans);
    }
    #[cfg(test)]
    if SKIP_IN_TEST.with(std::cell::Cell::get) {
        scans.unavailable = Some("测试中跳过".into());
        return Ok(scans);
    }
    let engine = match Ocr::installed() {
        Ok(engine) => engine,
        Err(ExtractError::Timeout(t)) => return Err(ExtractError::Timeout(t)),
        Err(e) => {
            scans.unavailable = Some(reason(&e));
            return Ok(scans);
        }
    };
    let workdir = tempfile::tempdir()?;
    let mut pdf = PdfOnDisk::new(bytes, workdir.path());
    for page in pages {
        ctx.deadline.check()?;
        let page_dir = tempfile::tempdir_in(workdir.path())?;
        let image = match page_image(doc, page, &mut pdf, page_dir.path(), ctx) {
            Ok(image) => image,
            Err(ImageError::Fatal(e)) => return Err(e),
            Err(ImageError::Page(why)) => {
                scans.failed.push((page.number, why));
                continue;
            }
        };
        match engine.recognise(&image, page_dir.path(), ctx) {
            Ok(found) => scans.add(page.number, found),
            Err(ExtractError::Timeout(t)) => return Err(ExtractError::Timeout(t)),
            Err(e @ ExtractError::NeedsOcr(_)) => {
                scans.unavailable = Some(reason(&e));
                break;
            }
            Err(e) => scans.failed.push((page.number, reason(&e))),
        }
    }
    Ok(scans)
}

/// The error's message without its generic prefix.
fn reason(e: &ExtractError) -> String {
    match e {
        ExtractError::NeedsOcr(s)
        | ExtractError::Corrupt(s)
        | ExtractError::TooLarge(s)
        | ExtractError::Unsupported(s)
        | ExtractError::Encrypted(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Scans {
    fn add(&mut self, number: u32, found: Vec<RecognisedPage>) {
        match found.into_iter().find(|p| !p.paragraphs.is_empty()) {
            None => self.empty.push(number),
            Some(page) if page.confidence < MIN_PAGE_CONFIDENCE => {
                self.doubtful.push((number, page.confidence));
            }
            Some(page) => self.pages.push((number, page)),
        }
    }

    pub fn recognised(&self, number: u32) -> bool {
        self.pages.iter().any(|(n, _)| *n == number)
    }

    /// Whether OCR ran, so each unread page has its own explanation.
    pub fn attempted(&self) -> bool {
        self.unavailable.is_none()
    }

    /// Appended to "needs OCR" messages: why OCR did not help.
    pub fn why_unread(&self) -> String {
        if let Some(why) = &self.unavailable {
            return format!("。{why}");
        }
        let mut parts = Vec::new();
        if !self.doubtful.is_empty() {
            parts.push(format!(
                "已进行文字识别（OCR），但识别置信度过低（{}）",
                self.confidence_list(&self.doubtful)
            ));
        }
        if !self.empty.is_empty() {
            parts.push("已进行文字识别（OCR），但未识别出文字".to_string());
        }
        if let Some((_, why)) = self.failed.first() {
            parts.push(format!("文字识别（OCR）失败：{why}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("；{}", parts.join("；"))
        }
    }

    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.pages.is_empty() {
            let numbers: Vec<u32> = self.pages.iter().map(|(n, _)| *n).collect();
            let confidences: Vec<(u32, f32)> =
                self.pages.iter().map(|(n, p)| (*n, p.confidence)).collect();
            out.push(format!(
                "第 {} 页是扫描图像，文字由文字识别（OCR）得到（置信度：{}），可能存在识别错误，引用前请与原件核对",
                page_list(&numbers),
                self.confidence_list(&confidences)
            ));
        }
        if !self.doubtful.is_empty() {
            let numbers: Vec<u32> = self.doubtful.iter().map(|(n, _)| *n).collect();
            out.push(format!(
                "第 {} 页的文字识别（OCR）置信度过低（{}），可能不是文字或字体无法识别，这些页的内容未提取",
                page_list(&numbers),
                self.confidence_list(&self.doubtful)
            ));
        }
        if !self.empty.is_empty() {
            out.push(format!(
                "第 {} 页没有可用的文字层，文字识别（OCR）也未识别出文字",
                page_list(&self.empty)
            ));
        }
        for (number, why) in &self.failed {
            out.push(format!(
                "第 {number} 页没有可用的文字层，文字识别（OCR）失败：{why}"
            ));
        }
        out
    }

    fn confidence_list(&self, pages: &[(u32, f32)]) -> String {
        if let [(_, c)] = pages {
            return format!("{}%", percent(*c));
        }
        pages
            .iter()
            .map(|(n, c)| format!("第 {n} 页 {}%", percent(*c)))
            .collect::<Vec<_>>()
            .join("，")
    }
}

/// Recognised pages go in front of the first text-layer paragraph that
/// starts on a later page.
pub fn push_in_page_order<'a>(
    builder: &mut crate::extract::text::TextBuilder,
    scans: &mut std::iter::Peekable<impl Iterator<Item = &'a (u32, RecognisedPage)>>,
    before_page: Option<u32>,
    paragraph: u32,
) -> u32 {
    let mut next = paragraph;
    while let Some((number, page)) =
        scans.next_if(|(n, _)| before_page.is_none_or(|before| *n < before))
    {
        next = ocr::push_pages(builder, [(*number, page)], next);
    }
    next
}
