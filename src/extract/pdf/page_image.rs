//! A picture of one page for OCR: the page's own scan image when it fills
//! the page and can be handed over without a real image decoder, else the
//! page rendered by `pdftoppm`.

use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Document, Object, ObjectId};

use super::content::PageImage;
use super::objects::{get, get_num, resolve};
use crate::extract::ocr::header;
use crate::extract::ocr::pnm::{self, Samples};
use crate::extract::ocr::process::{self, RunError};
use crate::extract::{Context, ExtractError};

/// Share of the page an image must cover to stand for the whole page.
const FULL_PAGE_COVER: f32 = 0.8;
/// Largest embedded image used directly; bigger ones are rendered smaller.
const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// Resolution pages are rendered at, and the least accepted for huge pages.
const RENDER_DPI: f32 = 200.0;
const MIN_RENDER_DPI: f32 = 50.0;
/// Largest rendered page.
const MAX_RENDER_PIXELS: f32 = 40_000_000.0;

/// What the page looks like to the OCR step.
pub struct ScanPage {
    pub number: u32,
    pub id: ObjectId,
    /// Page box in points.
    pub bbox: [f32; 4],
    pub image_cover: f32,
    pub image: Option<PageImage>,
}

/// Why no picture of the page could be made.
pub enum ImageError {
    /// Reported in the warning for this page; other pages go on.
    Page(String),
    /// Timeout: the whole file stops.
    Fatal(ExtractError),
}

/// Writes an image of the page into `dir` and returns its path.
/// `pdf` is the document's file on disk, written on first need.
pub fn page_image(
    doc: &Document,
    page: &ScanPage,
    pdf: &mut PdfOnDisk,
    dir: &Path,
    ctx: &Context,
) -> Result<PathBuf, ImageError> {
    if page.image_cover >= FULL_PAGE_COVER
        && let Some(image) = page.image.filter(|i| i.upright)
        && rotation(doc, page.id) == 0
        && let Some((bytes, extension)) = embedded(doc, image.id)
    {
        let path = dir.join(format!("page.{extension}"));
        std::fs::write(&path, bytes).map_err(|e| ImageError::Page(e.to_string()))?;
        return Ok(path);
    }
    render(page, pdf, dir, ctx)
}

/// The image XObject as a file tesseract reads: JPEG data as it is, raw
/// gray, RGB or bilevel samples as a Netpbm file. Anything else (CMYK,
/// palettes, CCITT, JBIG2, JPEG 2000, decode arrays, masks) is rendered.
fn embedded(doc: &Document, id: ObjectId) -> Option<(Vec<u8>, &'static str)> {
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let dict = &stream.dict;
    let width = get_num(doc, dict, b"Width")?;
    let height = get_num(doc, dict, b"Height")?;
    if !(1.0..=1e6).contains(&width) || !(1.0..=1e6).contains(&height) {
        return None;
    }
    let (width, height) = (width as usize, height as usize);
    if (width as u64) * (height as u64) > MAX_IMAGE_PIXELS
        || dict.has(b"Decode")
        || get(doc, dict, b"ImageMask").and_then(|o| o.as_bool().ok()) == Some(true)
    {
        return None;
    }
    let components = components(doc, dict)?;
    let bits = get_num(doc, dict, b"BitsPerComponent").unwrap_or(8.0);
    let filters: Vec<&[u8]> = stream.filters().unwrap_or_default();
    match filters.as_slice() {
        [b"DCTDecode"] if components != 4 => {
            // The JPEG's own header is what the decoder believes.
            let (w, h) = *header::dimensions(&stream.content)?.first()?;
            (u64::from(w) * u64::from(h) <= MAX_IMAGE_PIXELS)
                .then(|| (stream.content.clone(), "jpg"))
        }
        [] | [b"FlateDecode"] | [b"LZWDecode"] => {
            let samples = match (components, bits as u8) {
                (1, 1) => Samples::Bilevel,
                (1, 8) => Samples::Gray,
                (3, 8) => Samples::Rgb,
                _ => return None,
            };
            let expected = samples.row_bytes(width)?.checked_mul(height)?;
            let data = stream.get_plain_content_with_limit(expected + 4096).ok()?;
            let extension = match samples {
                Samples::Bilevel => "pbm",
                Samples::Gray => "pgm",
                Samples::Rgb => "ppm",
            };
            Some((pnm::encode(samples, width, height, &data)?, extension))
        }
        _ => None,
    }
}

/// Colour components of the image's colour space, for the spaces whose
/// samples are plain gray or RGB.
fn components(doc: &Document, dict: &lopdf::Dictionary) -> Option<u8> {
    match get(doc, dict, b"ColorSpace")? {
        Object::Name(name) => match name.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Some(1),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Some(3),
            b"DeviceCMYK" | b"CMYK" => Some(4),
            _ => None,
        },
        Object::Array(parts) => {
            let family = parts
                .first()
                .and_then(|o| resolve(doc, o))?
                .as_name()
                .ok()?;
            match family {
                b"CalGray" => Some(1),
                b"CalRGB" => Some(3),
                b"ICCBased" => {
                    let profile = parts.get(1).and_then(|o| resolve(doc, o))?;
                    let n = get_num(doc, &profile.as_stream().ok()?.dict, b"N")?;
                    match n as u8 {
                        1 => Some(1),
                        3 => Some(3),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The page's /Rotate, inherited from its parents, in degrees 0..360.
fn rotation(doc: &Document, page: ObjectId) -> i64 {
    let mut node = doc.get_dictionary(page).ok();
    for _ in 0..32 {
        let Some(dict) = node else { break };
        if let Some(r) = get(doc, dict, b"Rotate").and_then(|o| o.as_i64().ok()) {
            return r.rem_euclid(360);
        }
        node = get(doc, dict, b"Parent").and_then(|o| o.as_dict().ok());
    }
    0
}

/// The PDF written to a temporary file once, for `pdftoppm`.
pub struct PdfOnDisk<'a> {
    bytes: &'a [u8],
    dir: &'a Path,
    path: Option<PathBuf>,
}

impl<'a> PdfOnDisk<'a> {
    pub fn new(bytes: &'a [u8], dir: &'a Path) -> Self {
        PdfOnDisk {
            bytes,
            dir,
            path: None,
        }
    }

    fn path(&mut self) -> Result<PathBuf, ImageError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        let path = self.dir.join("document.pdf");
        std::fs::write(&path, self.bytes).map_err(|e| ImageError::Page(e.to_string()))?;
        self.path = Some(path.clone());
        Ok(path)
    }
}

/// The render resolution: the usual one, lowered for huge page boxes so the
/// image stays within the pixel limit; `None` when even the least is too big.
fn render_dpi([x0, y0, x1, y1]: [f32; 4]) -> Option<f32> {
    let square_inches = ((x1 - x0) / 72.0 * (y1 - y0) / 72.0).max(1e-3);
    let dpi = RENDER_DPI
        .min((MAX_RENDER_PIXELS / square_inches).sqrt())
        .floor();
    (dpi >= MIN_RENDER_DPI).then_some(dpi)
}

/// Renders the page in grayscale with `pdftoppm`, at a resolution that
/// keeps huge page boxes within the pixel limit.
fn render(
    page: &ScanPage,
    pdf: &mut PdfOnDisk,
    dir: &Path,
    ctx: &Context,
) -> Result<PathBuf, ImageError> {
    let Some(dpi) = render_dpi(page.bbox) else {
        return Err(ImageError::Page("页面尺寸过大".into()));
    };
    let Some(program) = process::find_on_path("pdftoppm") else {
        return Err(ImageError::Page(
            "未找到 pdftoppm，无法将页面转为图像（请安装 poppler-utils）".into(),
        ));
    };
    let n = page.number.to_string();
    let base = dir.join("page");
    let mut command = Command::new(program);
    command
        .args([
            "-r",
            &format!("{dpi}"),
            "-f",
            &n,
            "-l",
            &n,
            "-gray",
            "-singlefile",
        ])
        .arg(pdf.path()?)
        .arg(&base);
    match process::run(command, dir, Some(ctx), ctx.limits.max_time) {
        Ok(_) => Ok(base.with_extension("pgm")),
        Err(RunError::NotFound) => Err(ImageError::Page(
            "未找到 pdftoppm，无法将页面转为图像（请安装 poppler-utils）".into(),
        )),
        Err(RunError::Failed(why)) => Err(ImageError::Page(format!("页面无法转为图像（{why}）"))),
        Err(RunError::Fatal(e)) => Err(ImageError::Fatal(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_image(name: &str) -> Option<(Vec<u8>, &'static str)> {
        let path = format!("{}/tests/fixtures/scan/{name}", env!("CARGO_MANIFEST_DIR"));
        let doc = Document::load(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let is_image = |o: &Object| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
            })
        };
        let id = doc
            .objects
            .iter()
            .find(|(_, o)| is_image(o))
            .map(|(id, _)| *id)
            .expect("an image");
        embedded(&doc, id)
    }

    #[test]
    fn embedded_images_are_used_when_tesseract_reads_them_as_they_are() {
        let (jpeg, ext) = scan_image("notice_scan_jpeg.pdf").expect("jpeg");
        assert_eq!(ext, "jpg");
        assert!(jpeg.starts_with(&[0xFF, 0xD8]));
        let (pgm, ext) = scan_image("notice_scan_flate.pdf").expect("flate");
        assert_eq!(ext, "pgm");
        assert!(pgm.starts_with(b"P5\n1240 1754\n255\n"));
        assert_eq!(pgm.len(), 17 + 1240 * 1754);
        // CCITT needs a real decoder: the page is rendered instead.
        assert!(scan_image("notice_scan_ccitt.pdf").is_none());
    }

    #[test]
    fn huge_pages_render_at_a_lower_resolution() {
        assert_eq!(render_dpi([0.0, 0.0, 595.0, 842.0]), Some(200.0));
        let poster = render_dpi([0.0, 0.0, 2384.0, 3370.0]).expect("A0");
        assert!((60.0..200.0).contains(&poster), "{poster}");
        assert_eq!(render_dpi([0.0, 0.0, 14400.0, 14400.0]), None);
    }
}
