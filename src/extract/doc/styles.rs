//! The style sheet (STSH): which paragraph styles are headings and which
//! carry list numbering, following each style's base chain.

use super::bytes::{u16_at, utf16_units};
use super::papx::ListRef;
use super::sprm::{self, prls};
use crate::extract::{Context, ExtractError};

/// Built-in style identifiers (sti) of Heading 1–9 and Title.
const STI_HEADINGS: std::ops::RangeInclusive<u16> = 1..=9;
const STI_TITLE: u16 = 62;
const MAX_BASE_CHAIN: usize = 16;

#[derive(Debug, Clone, Default)]
struct Style {
    sti: u16,
    base: Option<u16>,
    name: String,
    list: ListRef,
    outline: Option<u8>,
}

#[derive(Debug, Default)]
pub struct Styles {
    by_istd: Vec<Option<Style>>,
}

impl Styles {
    /// Parses the STSH. Anything malformed ends the parse with the styles read so far.
    pub fn parse(stsh: &[u8], ctx: &Context) -> Result<Styles, ExtractError> {
        let mut styles = Styles::default();
        let Some(cb_stshi) = u16_at(stsh, 0) else {
            return Ok(styles);
        };
        let (Some(cstd), Some(cb_base)) = (u16_at(stsh, 2), u16_at(stsh, 4)) else {
            return Ok(styles);
        };
        let mut at = 2 + cb_stshi as usize;
        for _ in 0..cstd {
            if styles.by_istd.len() % 256 == 0 {
                ctx.deadline.check()?;
            }
            let Some(cb) = u16_at(stsh, at) else { break };
            let std = stsh.get(at + 2..at + 2 + cb as usize);
            at += 2 + cb as usize;
            styles.by_istd.push(
                std.filter(|s| !s.is_empty())
                    .and_then(|s| parse_std(s, cb_base)),
            );
        }
        Ok(styles)
    }

    fn get(&self, istd: u16) -> Option<&Style> {
        self.by_istd.get(istd as usize)?.as_ref()
    }

    /// Styles from `istd` up its base chain (bounded, so a cycle ends).
    fn chain(&self, istd: u16) -> impl Iterator<Item = &Style> {
        let mut next = Some(istd);
        std::iter::from_fn(move || {
            let style = self.get(next?)?;
            next = style.base;
            Some(style)
        })
        .take(MAX_BASE_CHAIN)
    }

    /// Headings by built-in identity, by name, or by outline level.
    pub fn is_heading(&self, istd: u16) -> bool {
        self.chain(istd).any(|s| {
            STI_HEADINGS.contains(&s.sti)
                || s.sti == STI_TITLE
                || s.outline.is_some_and(|l| l < 9)
                || is_heading_name(&s.name)
        })
    }

    /// The list a style puts its paragraphs in, the nearest style deciding each part.
    pub fn list(&self, istd: u16) -> ListRef {
        let mut out = ListRef::default();
        for s in self.chain(istd) {
            out.ilfo = out.ilfo.or(s.list.ilfo);
            out.ilvl = out.ilvl.or(s.list.ilvl);
        }
        out
    }
}

fn is_heading_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n == "title" || n.starts_with("heading") || n.starts_with("标题")
}

/// One STD: StdfBase (+ StdfPost2000), the name, then the UPXs.
fn parse_std(std: &[u8], cb_base: u16) -> Option<Style> {
    let sti = u16_at(std, 0)? & 0x0FFF;
    let w2 = u16_at(std, 2)?;
    let stk = w2 & 0x000F;
    let base = w2 >> 4;
    let cupx = u16_at(std, 4)? & 0x000F;
    let name_at = cb_base as usize;
    let cch = u16_at(std, name_at)? as usize;
    let name = super::bytes::utf16(utf16_units(std, name_at + 2, cch)?);
    let mut style = Style {
        sti,
        base: (base != 0x0FFF).then_some(base),
        name,
        ..Style::default()
    };
    // Paragraph styles (stk 1) start their UPXs with the paragraph one:
    // a style index, then sprms.
    let mut at = name_at + 2 + cch * 2 + 2;
    if stk == 1 && cupx >= 1 {
        at += at % 2;
        let cb = u16_at(std, at)? as usize;
        let upx = std.get(at + 2..at + 2 + cb)?;
        for (s, op) in prls(upx.get(2..)?) {
            if !style.list.apply(s, op) && s == sprm::P_OUT_LVL {
                style.outline = op.first().copied();
            }
        }
    }
    Some(style)
}
