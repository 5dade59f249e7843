//! One page description (`Content.xml` of a page or a template): the
//! characters of its text objects placed on the page, the images it draws
//! and the templates it references.
//!
//! Only objects reachable through `Content/Layer/PageBlock…` count: text
//! used as a clip shape or inside a fill pattern is not page text.

use super::super::xml::{SafeXml, XmlEvent, attr, local_name};
use super::super::{Context, ExtractError};
use super::geometry::{Ctm, Rect, deltas};
use quick_xml::events::BytesStart;

/// One character placed on the page (millimetres, y growing downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub ch: char,
    /// Glyph origin: left end of the baseline.
    pub x: f32,
    pub y: f32,
    /// Font size after the object's transform.
    pub size: f32,
    /// Estimated advance: full width for CJK, half for Latin, none for a space.
    pub width: f32,
}

#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    /// Image objects drawn by the page itself.
    pub images: usize,
    /// `TemplateID`s the page draws behind or over its own content.
    pub templates: Vec<String>,
    /// The page's own `Area/PhysicalBox`, if it declares one.
    pub area: Option<Rect>,
}

/// More characters than any real page holds; beyond it the file is hostile.
const MAX_GLYPHS_PER_PAGE: usize = 200_000;
/// Font size assumed when a text object declares none (10.5 pt).
const DEFAULT_SIZE: f32 = 3.7;

/// Containers whose children are drawn on the page.
fn is_drawing_container(name: &str) -> bool {
    matches!(name, "Content" | "Layer" | "PageBlock")
}

/// The text object being read: where its coordinate space sits on the page.
struct TextObject {
    origin: (f32, f32),
    ctm: Ctm,
    size: f32,
    /// Where the next `TextCode` without X/Y continues (object space).
    pen: (f32, f32),
}

struct TextCode {
    x: Option<f32>,
    y: Option<f32>,
    delta_x: String,
    delta_y: String,
    text: String,
}

struct Parser {
    page: PageContent,
    stack: Vec<String>,
    object: Option<TextObject>,
    code: Option<TextCode>,
    physical_box: Option<String>,
}

pub fn parse(bytes: &[u8], part: &str, ctx: &Context) -> Result<PageContent, ExtractError> {
    let mut xml = SafeXml::new(bytes, part, ctx);
    let mut p = Parser {
        page: PageContent::default(),
        stack: Vec::new(),
        object: None,
        code: None,
        physical_box: None,
    };
    loop {
        match xml.next()? {
            XmlEvent::Start(e) => {
                let name = local_name(&e).to_string();
                p.open(&e, &name);
                p.stack.push(name);
            }
            XmlEvent::Empty(e) => {
                let name = local_name(&e).to_string();
                p.open(&e, &name);
                p.close(&name, part)?;
            }
            XmlEvent::End(name) => {
                p.stack.pop();
                p.close(&name, part)?;
            }
            XmlEvent::Text(t) => p.text(&t, part)?,
            XmlEvent::Eof => break,
        }
    }
    Ok(p.page)
}

impl Parser {
    /// Every element between the root and here is a drawing container.
    fn drawable_here(&self) -> bool {
        self.stack.len() >= 2 && self.stack.iter().skip(1).all(|n| is_drawing_container(n))
    }

    fn open(&mut self, e: &BytesStart, name: &str) {
        match name {
            "Template" if self.stack.len() == 1 => {
                if let Some(id) = attr(e, "TemplateID") {
                    self.page.templates.push(id);
                }
            }
            "PhysicalBox" if self.stack.len() == 2 && self.stack[1] == "Area" => {
                self.physical_box = Some(String::new());
            }
            "TextObject" if self.drawable_here() => {
                let origin = attr(e, "Boundary")
                    .and_then(|b| Rect::parse(&b))
                    .map_or((0.0, 0.0), |r| (r.x, r.y));
                let size = attr(e, "Size")
                    .and_then(|s| s.trim().parse::<f32>().ok())
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .unwrap_or(DEFAULT_SIZE);
                let ctm = attr(e, "CTM")
                    .and_then(|c| Ctm::parse(&c))
                    .unwrap_or(Ctm::IDENTITY);
                self.object = Some(TextObject {
                    origin,
                    ctm,
                    size,
                    pen: (0.0, 0.0),
                });
            }
            "TextCode"
                if self.object.is_some()
                    && self.stack.last().is_some_and(|n| n == "TextObject") =>
            {
                let number = |key| {
                    attr(e, key)
                        .and_then(|v| v.trim().parse::<f32>().ok())
                        .filter(|v| v.is_finite())
                };
                self.code = Some(TextCode {
                    x: number("X"),
                    y: number("Y"),
                    delta_x: attr(e, "DeltaX").unwrap_or_default(),
                    delta_y: attr(e, "DeltaY").unwrap_or_default(),
                    text: String::new(),
                });
            }
            "ImageObject" if self.drawable_here() => self.page.images += 1,
            _ => {}
        }
    }

    fn close(&mut self, name: &str, part: &str) -> Result<(), ExtractError> {
        match name {
            "TextCode" => {
                if let (Some(code), Some(object)) = (self.code.take(), self.object.as_mut()) {
                    place(&code, object, &mut self.page.glyphs);
                    if self.page.glyphs.len() > MAX_GLYPHS_PER_PAGE {
                        return Err(too_many(part));
                    }
                }
            }
            "TextObject" => {
                self.code = None;
                self.object = None;
            }
            "PhysicalBox" => {
                if let Some(text) = self.physical_box.take() {
                    self.page.area = Rect::parse(&text).filter(|r| r.w > 0.0 && r.h > 0.0);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, t: &str, part: &str) -> Result<(), ExtractError> {
        if let Some(code) = self.code.as_mut() {
            // Four bytes per character at most: past this the page is hostile.
            if code.text.len() + t.len() > 4 * MAX_GLYPHS_PER_PAGE {
                return Err(too_many(part));
            }
            code.text.push_str(t);
        } else if let Some(b) = self.physical_box.as_mut()
            && b.len() < 256
        {
            b.push_str(t);
        }
        Ok(())
    }
}

fn too_many(part: &str) -> ExtractError {
    ExtractError::TooLarge(format!(
        "{part} 中的文字超过 {MAX_GLYPHS_PER_PAGE} 个字符，超出单页上限"
    ))
}

/// Full-width characters advance a whole em, the others half of one.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D | 0x2026
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)
}

/// Lays the characters of one `TextCode` out on the page.
///
/// Each character sits at the pen position; DeltaX/DeltaY give the step to
/// the next one (an estimated advance where the list runs short). Object
/// space is mapped through the CTM and then moved to the Boundary origin.
fn place(code: &TextCode, object: &mut TextObject, out: &mut Vec<Glyph>) {
    let chars: Vec<char> = code.text.chars().collect();
    let n = chars.len();
    let dx = deltas(&code.delta_x, n);
    let dy = deltas(&code.delta_y, n);
    let (mut px, mut py) = (
        code.x.unwrap_or(object.pen.0),
        code.y.unwrap_or(object.pen.1),
    );
    let size = object.size * object.ctm.scale();
    let to_page = |x: f32, y: f32| {
        let (x, y) = object.ctm.apply(x, y);
        (x + object.origin.0, y + object.origin.1)
    };
    // A list of vertical steps alone means a vertical line: no sideways step.
    let vertical_only = dx.is_empty() && !dy.is_empty();
    let first = out.len();
    for (i, &ch) in chars.iter().enumerate() {
        let (x, y) = to_page(px, py);
        // Spaces are kept, without width, as word-break marks for the layout.
        let (ch, width) = match ch {
            c if c.is_whitespace() => (' ', 0.0),
            c if is_wide(c) => (c, size),
            c => (c, size / 2.0),
        };
        if !ch.is_control() && x.is_finite() && y.is_finite() {
            out.push(Glyph {
                ch,
                x,
                y,
                size,
                width,
            });
        }
        let estimate = if vertical_only {
            0.0
        } else if is_wide(ch) {
            object.size
        } else {
            object.size / 2.0
        };
        px += dx.get(i).copied().unwrap_or(estimate);
        py += dy.get(i).copied().unwrap_or(0.0);
    }
    object.pen = (px, py);
    straighten(&mut out[first..]);
}

/// Text that does not run left to right (vertical or rotated) would scatter
/// into one-character lines; keep its characters in order on the baseline
/// of its first character instead.
fn straighten(run: &mut [Glyph]) {
    let (Some(first), Some(last)) = (run.first().copied(), run.last().copied()) else {
        return;
    };
    let (dx, dy) = (last.x - first.x, last.y - first.y);
    if run.len() < 2 || (dx > 0.0 && dy.abs() <= 0.2 * dx) {
        return;
    }
    let mut x = first.x;
    for g in run.iter_mut() {
        g.x = x;
        g.y = first.y;
        x += g.width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    fn read(body: &str) -> PageContent {
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let xml = format!(
            r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Template TemplateID="7" ZOrder="Foreground"/><ofd:Area><ofd:PhysicalBox>0 0 100 200</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="1">{body}</ofd:Layer></ofd:Content></ofd:Page>"#
        );
        parse(xml.as_bytes(), "Content.xml", &ctx).unwrap()
    }

    fn positions(page: &PageContent) -> Vec<(char, f32, f32)> {
        page.glyphs.iter().map(|g| (g.ch, g.x, g.y)).collect()
    }

    #[test]
    fn characters_follow_boundary_deltas_and_ctm() {
        let page = read(
            r#"<ofd:TextObject ID="2" Boundary="10 20 50 8" Size="4"><ofd:TextCode X="1" Y="4" DeltaX="g 2 4 2">公平a竞</ofd:TextCode><ofd:TextCode DeltaX="4">争审</ofd:TextCode></ofd:TextObject>
               <ofd:PageBlock ID="3"><ofd:TextObject ID="4" Boundary="10 40 50 8" Size="8" CTM="0.5 0 0 0.5 1 0"><ofd:TextCode X="0" Y="8" DeltaX="8">查制</ofd:TextCode></ofd:TextObject></ofd:PageBlock>"#,
        );
        assert_eq!(page.templates, ["7"]);
        assert_eq!(
            page.area,
            Some(Rect {
                x: 0.0,
                y: 0.0,
                w: 100.0,
                h: 200.0
            })
        );
        assert_eq!(
            positions(&page),
            [
                ('公', 11.0, 24.0),
                ('平', 15.0, 24.0),
                ('a', 19.0, 24.0),
                ('竞', 21.0, 24.0),
                ('争', 25.0, 24.0),
                ('审', 29.0, 24.0),
                ('查', 11.0, 44.0),
                ('制', 15.0, 44.0),
            ]
        );
        assert!(page.glyphs.iter().all(|g| g.size == 4.0));
    }

    #[test]
    fn clips_patterns_and_images() {
        let page = read(
            r#"<ofd:ImageObject ID="5" Boundary="0 0 10 10" ResourceID="9"/>
               <ofd:PathObject ID="6" Boundary="0 0 10 10"><ofd:FillColor><ofd:Pattern><ofd:CellContent><ofd:TextObject ID="7" Boundary="0 0 1 1" Size="1"><ofd:TextCode X="0" Y="1">花</ofd:TextCode></ofd:TextObject></ofd:CellContent></ofd:Pattern></ofd:FillColor></ofd:PathObject>
               <ofd:TextObject ID="8" Boundary="0 0 10 10" Size="2"><ofd:Clips><ofd:Clip><ofd:Area><ofd:Text><ofd:TextCode X="0" Y="1">剪</ofd:TextCode></ofd:Text></ofd:Area></ofd:Clip></ofd:Clips><ofd:TextCode X="0" Y="2">字</ofd:TextCode></ofd:TextObject>"#,
        );
        assert_eq!(page.images, 1);
        let text: String = page.glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(text, "字");
    }

    #[test]
    fn vertical_text_is_kept_in_order() {
        let page = read(
            r#"<ofd:TextObject ID="2" Boundary="10 20 8 50" Size="4"><ofd:TextCode X="0" Y="4" DeltaY="4 4">此件公</ofd:TextCode></ofd:TextObject>"#,
        );
        assert_eq!(
            positions(&page),
            [('此', 10.0, 24.0), ('件', 14.0, 24.0), ('公', 18.0, 24.0)]
        );
    }

    #[test]
    fn hostile_numbers_are_harmless() {
        let page = read(
            r#"<ofd:TextObject ID="2" Boundary="x y" Size="-3" CTM="nan 0 0 1 0 0"><ofd:TextCode X="inf" Y="1e39" DeltaX="g 99999999999 1e30 g">字符</ofd:TextCode></ofd:TextObject>"#,
        );
        assert_eq!(page.glyphs.len(), 2);
        assert!(
            page.glyphs
                .iter()
                .all(|g| g.x.is_finite() && g.y.is_finite())
        );
    }
}
