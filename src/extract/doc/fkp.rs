//! Formatted disk pages (FKPs): 512-byte pages of the WordDocument stream
//! holding character or paragraph properties, listed by a PlcBte in the
//! table stream.

use std::collections::HashSet;

use super::bytes::{span, u32_at};
use crate::extract::{Context, ExtractError};

pub const PAGE: usize = 512;

/// The distinct pages a PlcBte names.
pub struct Pages<'a> {
    pub pages: Vec<&'a [u8]>,
    /// Some entry named no page inside the stream.
    pub damaged: bool,
}

/// `None` when the PlcBte itself lies outside the table stream.
pub fn pages<'a>(
    word: &'a [u8],
    table: &[u8],
    (fc, lcb): (u32, u32),
    ctx: &Context,
) -> Result<Option<Pages<'a>>, ExtractError> {
    if lcb == 0 {
        return Ok(Some(Pages {
            pages: Vec::new(),
            damaged: false,
        }));
    }
    let Some(plc) = span(table, fc, lcb).filter(|p| p.len() >= 12) else {
        return Ok(None);
    };
    let n = (plc.len() - 4) / 8;
    // Each page covers at least one run; more entries than pages in the
    // stream can only come from a damaged or hostile index.
    let max_pages = word.len() / PAGE + 1;
    let mut damaged = n > max_pages;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for i in 0..n.min(max_pages) {
        ctx.deadline.check()?;
        let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4) else {
            damaged = true;
            break;
        };
        let pn = (pn & 0x003F_FFFF) as usize;
        if !seen.insert(pn) {
            continue;
        }
        match word.get(pn * PAGE..pn * PAGE + PAGE) {
            Some(page) => out.push(page),
            None => damaged = true,
        }
    }
    Ok(Some(Pages {
        pages: out,
        damaged,
    }))
}

/// A page's run count and its run boundaries `rgfc[i]..rgfc[i+1]`, when the
/// count fits the page with `entry_len` bytes of per-run data after the bounds.
pub fn runs(page: &[u8], entry_len: usize) -> Option<(usize, Vec<(u32, u32)>)> {
    let crun = *page.get(PAGE - 1)? as usize;
    if crun == 0 || (crun + 1) * 4 + crun * entry_len > PAGE - 1 {
        return None;
    }
    let bounds = (0..crun)
        .map(|j| Some((u32_at(page, j * 4)?, u32_at(page, j * 4 + 4)?)))
        .collect::<Option<Vec<_>>>()?;
    Some((crun, bounds))
}
