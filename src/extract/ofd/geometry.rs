//! Number lists of OFD attributes: boxes ("x y w h"), transforms
//! ("a b c d e f") and glyph offsets with the `g` repeat syntax.

/// A box in page units (millimetres), y growing downwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Page size used when neither the page nor the document declares one (A4).
pub const A4: Rect = Rect {
    x: 0.0,
    y: 0.0,
    w: 210.0,
    h: 297.0,
};

impl Rect {
    /// Parses "x y w h"; anything else (missing, non-finite) is `None`.
    pub fn parse(s: &str) -> Option<Rect> {
        let mut it = s.split_whitespace().map(parse_number);
        let (x, y, w, h) = (it.next()??, it.next()??, it.next()??, it.next()??);
        Some(Rect { x, y, w, h })
    }
}

/// An affine transform `x' = a·x + c·y + e`, `y' = b·x + d·y + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ctm {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub e: f32,
    pub f: f32,
}

impl Ctm {
    pub const IDENTITY: Ctm = Ctm {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    pub fn parse(s: &str) -> Option<Ctm> {
        let mut it = s.split_whitespace().map(parse_number);
        let mut next = || it.next().flatten();
        Some(Ctm {
            a: next()?,
            b: next()?,
            c: next()?,
            d: next()?,
            e: next()?,
            f: next()?,
        })
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }

    /// How much the transform scales lengths (square root of the area factor).
    pub fn scale(&self) -> f32 {
        (self.a * self.d - self.b * self.c).abs().sqrt()
    }
}

/// Finite numbers only: a NaN or infinity would poison every comparison.
fn parse_number(s: &str) -> Option<f32> {
    s.parse::<f32>().ok().filter(|v| v.is_finite())
}

/// Expands a DeltaX/DeltaY list, `g N V` standing for N copies of V, into
/// at most `max` values. The cap matters: `g 4000000000 1` is a few bytes.
/// Tokens that are not numbers are skipped.
pub fn deltas(s: &str, max: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(max.min(4096));
    let mut tokens = s.split_whitespace();
    while out.len() < max {
        let Some(token) = tokens.next() else { break };
        if token == "g" {
            let count = tokens.next().and_then(parse_number);
            let value = tokens.next().and_then(parse_number);
            if let (Some(count), Some(value)) = (count, value) {
                let room = max - out.len();
                let n = if count <= 0.0 {
                    0
                } else {
                    (count as usize).min(room)
                };
                out.extend(std::iter::repeat_n(value, n));
            }
        } else if let Some(v) = parse_number(token) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_and_transforms() {
        assert_eq!(
            Rect::parse("25 30.5 160 10"),
            Some(Rect {
                x: 25.0,
                y: 30.5,
                w: 160.0,
                h: 10.0
            })
        );
        assert_eq!(Rect::parse("1 2 3"), None);
        assert_eq!(Rect::parse("1 2 NaN 4"), None);
        let ctm = Ctm::parse("0.5 0 0 0.5 10 20").unwrap();
        assert_eq!(ctm.apply(4.0, 8.0), (12.0, 24.0));
        assert!((ctm.scale() - 0.5).abs() < 1e-6);
        assert_eq!(Ctm::parse("1 0 0 1"), None);
    }

    #[test]
    fn repeat_syntax_expands_within_the_cap() {
        assert_eq!(deltas("g 3 4.2 5.0", 10), [4.2, 4.2, 4.2, 5.0]);
        assert_eq!(deltas("1 g 2 3 x 4", 10), [1.0, 3.0, 3.0, 4.0]);
        assert_eq!(deltas("g 4000000000 1", 5).len(), 5);
        assert_eq!(deltas("g -3 1 2", 5), [2.0]);
        assert_eq!(deltas("g 3", 5), Vec::<f32>::new());
        assert_eq!(deltas("", 5), Vec::<f32>::new());
    }
}
