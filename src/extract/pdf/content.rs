//! Content-stream interpretation: runs the text and graphics-state operators
//! of one page (and of the form XObjects it draws) and records every glyph
//! with its position in page space.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::fonts::Font;
use super::objects::{Budget, as_dict, get, get_array, get_dict, get_name, num, nums, resolve};
use crate::extract::{Context, ExtractError};

/// Operations between two deadline checks.
const CHECK_EVERY: usize = 2048;
/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Form XObjects run per page at most: forms that draw each other many
/// times over would otherwise multiply without bound.
const MAX_FORM_RUNS: usize = 10_000;
/// Deepest `q` nesting kept; deeper saves are counted but not stored.
const MAX_STATE_DEPTH: usize = 128;
/// Glyphs kept per page; beyond this a page is not a text page anyway.
const MAX_GLYPHS: usize = 1_000_000;
/// Painted rule segments kept per page; table grids need far fewer.
const MAX_SEGMENTS: usize = 20_000;
/// Pieces held by one path under construction.
const MAX_PATH_PIECES: usize = 4_096;
/// A filled shape no thicker than this (page units) is drawn as a rule.
const RULE_THICKNESS: f32 = 3.0;

/// One shown glyph in page space (PDF user space of the page).
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    /// Origin on the baseline.
    pub x: f32,
    pub y: f32,
    /// Unit vector of the writing direction.
    pub dir: (f32, f32),
    /// Advance along the writing direction, spacing included.
    pub advance: f32,
    /// Font size as drawn (em height in page units).
    pub size: f32,
    /// Byte range of this glyph's text in [`PageText::text`].
    pub start: u32,
    pub end: u32,
    /// False when the code has no known text.
    pub mapped: bool,
}

/// Everything one page's content streams showed.
#[derive(Debug, Default)]
pub struct PageText {
    pub glyphs: Vec<Glyph>,
    pub text: String,
    /// Page box (x0, y0, x1, y1).
    pub bbox: [f32; 4],
    /// Largest share of the page covered by one image.
    pub image_cover: f32,
    pub has_images: bool,
    /// The image XObject behind `image_cover`, when it is one.
    pub cover_image: Option<PageImage>,
    /// The page or one of its content streams could not be loaded.
    pub damaged: bool,
    /// Straight lines painted on the page (stroked lines and thin filled
    /// bars), in page space: the raw material of table rules.
    pub segments: Vec<Segment>,
}

/// A straight painted line from (x0, y0) to (x1, y1) in page space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// An image XObject drawn on the page, as OCR would want to read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageImage {
    pub id: ObjectId,
    /// Drawn unrotated and unflipped, so its pixels read as the page does.
    pub upright: bool,
}

impl PageText {
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        self.text
            .get(g.start as usize..g.end as usize)
            .unwrap_or_default()
    }
}

/// Fonts and form contents already decoded, shared by every page: both are
/// usually shared objects, and decoding them again would cost time and
/// decompression budget.
#[derive(Default)]
pub struct Cache {
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// Fonts written directly into a resource dictionary, by address.
    inline_fonts: HashMap<usize, Rc<Font>>,
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
}

/// A 2-D affine matrix `[a b c d e f]` in PDF's row-vector convention.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        let v: Vec<f32> = ops.iter().filter_map(num).collect();
        match v.as_slice() {
            [a, b, c, d, e, f] => Some(Matrix([*a, *b, *c, *d, *e, *f])),
            _ => None,
        }
    }

    /// `self × other`: apply `self` first, then `other`.
    fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }
}

/// The parts of the graphics state that text extraction needs.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

impl GState {
    fn new(ctm: Matrix) -> Self {
        GState {
            ctm,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Resource dictionaries in lookup order (nearest first).
#[derive(Clone)]
struct Resources<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    /// The named entry of a category (`Font`, `XObject`) and its object id.
    fn lookup(
        &self,
        doc: &'a Document,
        category: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'a Object)> {
        self.dicts.iter().find_map(|res| {
            let cat = get_dict(doc, res, category)?;
            let entry = cat.get(name).ok()?;
            match entry {
                Object::Reference(id) => Some((Some(*id), doc.get_object(*id).ok()?)),
                other => Some((None, other)),
            }
        })
    }
}

/// Reads one page.
pub fn read_page(
    doc: &Document,
    page_id: ObjectId,
    cache: &mut Cache,
    budget: &mut Budget,
    ctx: &Context,
) -> Result<PageText, ExtractError> {
    let mut res = Resources { dicts: Vec::new() };
    if let Ok((inline, ids)) = doc.get_page_resources(page_id) {
        res.dicts.extend(inline);
        res.dicts
            .extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    }
    let (content, damaged) = budget.page_content(doc, page_id)?;
    let mut run = Interpreter {
        doc,
        ctx,
        cache,
        budget,
        page: PageText {
            bbox: page_box(doc, page_id),
            damaged,
            ..PageText::default()
        },
        forms: Vec::new(),
        form_runs: 0,
        ops: 0,
    };
    run.run(&content, &res, Matrix::IDENTITY)?;
    Ok(run.page)
}

/// The visible page area: CropBox, else MediaBox, inherited from parents.
fn page_box(doc: &Document, page_id: ObjectId) -> [f32; 4] {
    let node = doc.get_dictionary(page_id).ok();
    for key in [&b"CropBox"[..], b"MediaBox"] {
        let mut cur = node;
        for _ in 0..32 {
            let Some(dict) = cur else { break };
            if let Some(v) = get_array(doc, dict, key).map(|a| nums(doc, a))
                && let [x0, y0, x1, y1] = v.as_slice()
                && (x1 - x0).abs() > 1.0
                && (y1 - y0).abs() > 1.0
            {
                return [x0.min(*x1), y0.min(*y1), x0.max(*x1), y0.max(*y1)];
            }
            cur = get_dict(doc, dict, b"Parent");
        }
    }
    [0.0, 0.0, 612.0, 792.0]
}

struct Interpreter<'d, 'c> {
    doc: &'d Document,
    ctx: &'c Context<'c>,
    cache: &'c mut Cache,
    budget: &'c mut Budget,
    page: PageText,
    /// Form XObjects being run, to refuse cycles.
    forms: Vec<ObjectId>,
    form_runs: usize,
    ops: usize,
}

impl<'d> Interpreter<'d, '_> {
    fn run(
        &mut self,
        content: &[u8],
        res: &Resources<'d>,
        ctm: Matrix,
    ) -> Result<(), ExtractError> {
        let mut gs = GState::new(ctm);
        let mut stack: Vec<GState> = Vec::new();
        let mut lost_saves = 0usize;
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut path = Path::default();
        for op in Content::decode_iter(content) {
            // A syntax error ends the stream; what came before stands.
            let Ok(op) = op else { break };
            self.ops += 1;
            if self.ops.is_multiple_of(CHECK_EVERY) {
                self.ctx.deadline.check()?;
            }
            let args = op.operands.as_slice();
            let arg = |i: usize| args.get(i).and_then(num);
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < MAX_STATE_DEPTH {
                        stack.push(gs.clone());
                    } else {
                        lost_saves += 1;
                    }
                }
                "Q" => {
                    if lost_saves > 0 {
                        lost_saves -= 1;
                    } else if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(args) {
                        gs.ctm = m.then(&gs.ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    if let Some(size) = arg(1) {
                        gs.size = size;
                    }
                    if let Some(name) = args.first().and_then(|o| o.as_name().ok()) {
                        gs.font = Some(self.font(res, name)?);
                    }
                }
                "Tc" => gs.char_space = arg(0).unwrap_or(gs.char_space),
                "Tw" => gs.word_space = arg(0).unwrap_or(gs.word_space),
                "Tz" => gs.hscale = arg(0).map_or(gs.hscale, |v| v / 100.0),
                "TL" => gs.leading = arg(0).unwrap_or(gs.leading),
                "Ts" => gs.rise = arg(0).unwrap_or(gs.rise),
                "Td" | "TD" => {
                    if let (Some(tx), Some(ty)) = (arg(0), arg(1)) {
                        if op.operator == "TD" {
                            gs.leading = -ty;
                        }
                        tlm = Matrix::translate(tx, ty).then(&tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(args) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" => {
                    if op.operator == "\"" {
                        gs.word_space = arg(0).unwrap_or(gs.word_space);
                        gs.char_space = arg(1).unwrap_or(gs.char_space);
                    }
                    if op.operator != "Tj" {
                        tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
                        tm = tlm;
                    }
                    if let Some(Ok(bytes)) = args.last().map(Object::as_str) {
                        self.show(bytes, &gs, &mut tm)?;
                    }
                }
                "TJ" => {
                    let items = args.first().and_then(|o| o.as_array().ok());
                    for item in items.map(Vec::as_slice).unwrap_or_default() {
                        match item {
                            Object::String(bytes, _) => self.show(bytes, &gs, &mut tm)?,
                            other => {
                                if let Some(adj) = num(other) {
                                    let shift = -adj / 1000.0 * gs.size;
                                    let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
                                    tm = if vertical {
                                        Matrix::translate(0.0, shift).then(&tm)
                                    } else {
                                        Matrix::translate(shift * gs.hscale, 0.0).then(&tm)
                                    };
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(name) = args.first().and_then(|o| o.as_name().ok()) {
                        self.draw_xobject(res, name, &gs)?;
                    }
                }
                "BI" => self.note_image(&gs.ctm, None),
                "m" | "l" | "re" | "h" | "c" | "v" | "y" => {
                    let at = |i: usize, j: usize| Some(gs.ctm.apply(arg(i)?, arg(j)?));
                    match op.operator.as_str() {
                        "m" => path.move_to(at(0, 1)),
                        "l" => path.line_to(at(0, 1)),
                        "h" => path.close(),
                        "c" => path.curve_to(at(4, 5)),
                        "v" | "y" => path.curve_to(at(2, 3)),
                        _ => {
                            if let (Some(x), Some(y), Some(w), Some(h)) =
                                (arg(0), arg(1), arg(2), arg(3))
                            {
                                path.rectangle(
                                    [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                                        .map(|(px, py)| gs.ctm.apply(px, py)),
                                );
                            }
                        }
                    }
                }
                "S" | "s" | "B" | "B*" | "b" | "b*" => {
                    if matches!(op.operator.as_str(), "s" | "b" | "b*") {
                        path.close();
                    }
                    path.stroke_into(&mut self.page.segments);
                    path = Path::default();
                }
                "f" | "F" | "f*" => {
                    path.fill_into(&mut self.page.segments);
                    path = Path::default();
                }
                "n" => path = Path::default(),
                _ => {}
            }
        }
        Ok(())
    }

    fn font(&mut self, res: &Resources<'d>, name: &[u8]) -> Result<Rc<Font>, ExtractError> {
        let Some((id, obj)) = res.lookup(self.doc, b"Font", name) else {
            return Ok(Rc::new(Font::unknown()));
        };
        let Some(dict) = resolve(self.doc, obj).and_then(as_dict) else {
            return Ok(Rc::new(Font::unknown()));
        };
        let address = dict as *const Dictionary as usize;
        let cached = match id {
            Some(id) => self.cache.fonts.get(&id),
            None => self.cache.inline_fonts.get(&address),
        };
        if let Some(font) = cached {
            return Ok(font.clone());
        }
        let font = Rc::new(Font::load(self.doc, dict, self.budget)?);
        match id {
            Some(id) => self.cache.fonts.insert(id, font.clone()),
            None => self.cache.inline_fonts.insert(address, font.clone()),
        };
        Ok(font)
    }

    /// Shows one string: records each glyph and advances the text matrix.
    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix) -> Result<(), ExtractError> {
        let Some(font) = gs.font.clone() else {
            return Ok(());
        };
        let mut pos = 0;
        while let Some(rest) = bytes.get(pos..).filter(|r| !r.is_empty()) {
            // Glyphs count like operations: one TJ can hold a whole page.
            self.ops += 1;
            if self.ops.is_multiple_of(CHECK_EVERY) {
                self.ctx.deadline.check()?;
            }
            let n = font.code_len(rest);
            let code = rest.get(..n).unwrap_or(rest);
            pos += n;

            let start = self.page.text.len();
            let mapped = font.write_text(code, &mut self.page.text);
            let word_space = if code == b" " { gs.word_space } else { 0.0 };
            let w = font.width(code);

            let m = tm.then(&gs.ctm);
            let (x, y) = m.apply(0.0, gs.rise);
            let (tx, ty) = if font.vertical {
                (0.0, -(w * gs.size) + gs.char_space + word_space)
            } else {
                ((w * gs.size + gs.char_space + word_space) * gs.hscale, 0.0)
            };
            let (ex, ey) = m.apply(tx, ty + gs.rise);
            let advance = ((ex - x).powi(2) + (ey - y).powi(2)).sqrt();
            let [a, b, c, d, ..] = m.0;
            let dir = if font.vertical { (-c, -d) } else { (a, b) };
            let norm = (dir.0 * dir.0 + dir.1 * dir.1).sqrt();
            let size = (gs.size * (c * c + d * d).sqrt()).abs();
            *tm = Matrix::translate(tx, ty).then(tm);

            let end = self.page.text.len();
            if self.page.glyphs.len() >= MAX_GLYPHS
                || !(x.is_finite() && y.is_finite() && advance.is_finite() && norm > 0.0)
            {
                self.page.text.truncate(start);
                continue;
            }
            if end - start > 0 || !mapped {
                self.page.glyphs.push(Glyph {
                    x,
                    y,
                    dir: (dir.0 / norm, dir.1 / norm),
                    advance,
                    size: if size.is_finite() { size } else { 0.0 },
                    start: start as u32,
                    end: end as u32,
                    mapped,
                });
            }
            if self.page.text.len() > self.ctx.limits.max_text_bytes {
                return Err(ExtractError::TooLarge(format!(
                    "提取出的文本超过 {} MB",
                    self.ctx.limits.max_text_bytes / (1024 * 1024)
                )));
            }
        }
        Ok(())
    }

    fn draw_xobject(
        &mut self,
        res: &Resources<'d>,
        name: &[u8],
        gs: &GState,
    ) -> Result<(), ExtractError> {
        let doc = self.doc;
        let Some((id, obj)) = res.lookup(doc, b"XObject", name) else {
            return Ok(());
        };
        let Some(Object::Stream(stream)) = resolve(doc, obj) else {
            return Ok(());
        };
        match get_name(doc, &stream.dict, b"Subtype") {
            Some(b"Image") => self.note_image(&gs.ctm, id),
            Some(b"Form") => {
                // Forms are indirect objects; a direct one (malformed) gets
                // a key no real object has.
                let key = id.unwrap_or((u32::MAX, u16::MAX));
                if self.forms.len() >= MAX_FORM_DEPTH
                    || self.forms.contains(&key)
                    || self.form_runs >= MAX_FORM_RUNS
                {
                    return Ok(());
                }
                self.form_runs += 1;
                let data = match self.cache.forms.get(&key).filter(|_| id.is_some()) {
                    Some(data) => data.clone(),
                    None => {
                        let data = Rc::new(self.budget.decode(stream)?.unwrap_or_default());
                        if id.is_some() {
                            self.cache.forms.insert(key, data.clone());
                        }
                        data
                    }
                };
                let matrix = get(doc, &stream.dict, b"Matrix")
                    .and_then(|o| o.as_array().ok())
                    .and_then(|a| Matrix::from_operands(a))
                    .unwrap_or(Matrix::IDENTITY);
                let mut inner = res.clone();
                if let Some(own) = get_dict(doc, &stream.dict, b"Resources") {
                    inner.dicts.insert(0, own);
                }
                self.forms.push(key);
                let result = self.run(&data, &inner, matrix.then(&gs.ctm));
                self.forms.pop();
                result?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Images map the unit square through the CTM; its area says how much
    /// of the page the image covers.
    fn note_image(&mut self, ctm: &Matrix, id: Option<ObjectId>) {
        let [a, b, c, d, ..] = ctm.0;
        let [x0, y0, x1, y1] = self.page.bbox;
        let page_area = ((x1 - x0) * (y1 - y0)).max(1.0);
        let cover = ((a * d - b * c).abs() / page_area).min(1.0);
        self.page.has_images = true;
        if cover.is_finite() && cover > self.page.image_cover {
            self.page.image_cover = cover;
            let tilt = b.abs().max(c.abs());
            self.page.cover_image = id.map(|id| PageImage {
                id,
                upright: a > 0.0 && d > 0.0 && tilt < 0.01 * a.min(d),
            });
        }
    }
}

/// One subpath: its straight pieces, its extent and whether it curves.
#[derive(Default)]
struct Subpath {
    pieces: Vec<Segment>,
    start: (f32, f32),
    /// x0, y0, x1, y1 of every point visited.
    extent: Option<[f32; 4]>,
    curved: bool,
}

impl Subpath {
    fn visit(&mut self, (x, y): (f32, f32)) {
        let e = self.extent.get_or_insert([x, y, x, y]);
        *e = [e[0].min(x), e[1].min(y), e[2].max(x), e[3].max(y)];
    }
}

/// The path under construction, kept only as far as rules need it.
#[derive(Default)]
struct Path {
    closed: Vec<Subpath>,
    open: Subpath,
    current: Option<(f32, f32)>,
    pieces: usize,
}

impl Path {
    fn finite(p: Option<(f32, f32)>) -> Option<(f32, f32)> {
        p.filter(|(x, y)| x.is_finite() && y.is_finite())
    }

    fn move_to(&mut self, p: Option<(f32, f32)>) {
        let Some(p) = Self::finite(p) else { return };
        self.end_subpath();
        self.open.start = p;
        self.open.visit(p);
        self.current = Some(p);
    }

    fn line_to(&mut self, p: Option<(f32, f32)>) {
        let (Some(from), Some(to)) = (self.current, Self::finite(p)) else {
            return;
        };
        if self.pieces < MAX_PATH_PIECES {
            self.pieces += 1;
            self.open.pieces.push(Segment {
                x0: from.0,
                y0: from.1,
                x1: to.0,
                y1: to.1,
            });
        }
        self.open.visit(to);
        self.current = Some(to);
    }

    fn curve_to(&mut self, p: Option<(f32, f32)>) {
        let Some(p) = Self::finite(p) else { return };
        if self.current.is_some() {
            self.open.curved = true;
            self.open.visit(p);
            self.current = Some(p);
        }
    }

    fn close(&mut self) {
        if self.current.is_some() && self.current != Some(self.open.start) {
            self.line_to(Some(self.open.start));
        }
        self.end_subpath();
    }

    fn rectangle(&mut self, corners: [(f32, f32); 4]) {
        let [a, b, c, d] = corners;
        self.move_to(Some(a));
        for p in [b, c, d] {
            self.line_to(Some(p));
        }
        self.close();
    }

    fn end_subpath(&mut self) {
        let done = std::mem::take(&mut self.open);
        if done.extent.is_some() {
            self.closed.push(done);
        }
        self.current = None;
    }

    fn stroke_into(mut self, out: &mut Vec<Segment>) {
        self.end_subpath();
        let room = MAX_SEGMENTS.saturating_sub(out.len());
        out.extend(self.closed.into_iter().flat_map(|s| s.pieces).take(room));
    }

    /// Filled shapes count only when they are thin straight bars: the rules
    /// some producers draw as narrow rectangles. Wider fills are shading.
    fn fill_into(mut self, out: &mut Vec<Segment>) {
        self.end_subpath();
        for sub in self.closed {
            let Some([x0, y0, x1, y1]) = sub.extent else {
                continue;
            };
            if sub.curved || out.len() >= MAX_SEGMENTS {
                continue;
            }
            let (w, h) = (x1 - x0, y1 - y0);
            if h <= RULE_THICKNESS && w > h {
                let y = (y0 + y1) / 2.0;
                out.push(Segment {
                    x0,
                    y0: y,
                    x1,
                    y1: y,
                });
            } else if w <= RULE_THICKNESS && h > w {
                let x = (x0 + x1) / 2.0;
                out.push(Segment {
                    x0: x,
                    y0,
                    x1: x,
                    y1,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 5.0);
        // Scale first, then shift.
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 7.0));
        assert_eq!(shift.then(&scale).apply(1.0, 1.0), (22.0, 12.0));
    }
}
