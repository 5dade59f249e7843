//! Character properties (PlcBteChpx → ChpxFkp), read for one purpose: text
//! deleted under revision tracking is still stored in the file but is not
//! part of the document as it reads, so it must not reach the review.

use super::bytes::u8_at;
use super::fkp;
use super::sprm::{self, prls};
use crate::extract::{Context, ExtractError};

/// Stream byte ranges of deleted text, sorted.
#[derive(Debug, Default)]
pub struct Deleted {
    runs: Vec<(u32, u32)>,
}

impl Deleted {
    /// A damaged index or page only means deletions there go unnoticed.
    pub fn load(
        word: &[u8],
        table: &[u8],
        plc: (u32, u32),
        ctx: &Context,
        warnings: &mut Vec<String>,
    ) -> Result<Deleted, ExtractError> {
        let mut deleted = Deleted::default();
        let Some(fkp::Pages { pages, mut damaged }) = fkp::pages(word, table, plc, ctx)? else {
            warnings
                .push("字符属性索引（PlcBteChpx）超出表数据流，修订删除的文字可能被保留".into());
            return Ok(deleted);
        };
        for page in pages {
            damaged |= !deleted.read_fkp(page);
        }
        if damaged {
            warnings.push("部分字符属性页已损坏，修订删除的文字可能被保留".into());
        }
        deleted.runs.sort_unstable();
        Ok(deleted)
    }

    /// Reads one ChpxFkp (runs followed by one-byte offsets to each Chpx).
    fn read_fkp(&mut self, page: &[u8]) -> bool {
        let Some((crun, bounds)) = fkp::runs(page, 1) else {
            return false;
        };
        let rgb_at = (crun + 1) * 4;
        for (j, (start, end)) in bounds.into_iter().enumerate() {
            let Some(offset) = u8_at(page, rgb_at + j) else {
                return false;
            };
            if end > start && offset != 0 && is_deleted(page, offset as usize * 2) {
                self.runs.push((start, end));
            }
        }
        true
    }

    /// Whether the character at stream byte `fc` is deleted text.
    pub fn contains(&self, fc: u32) -> bool {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        i > 0 && self.runs.get(i - 1).is_some_and(|r| fc < r.1)
    }
}

/// The Chpx at `off` (a byte count, then sprms) marks the run deleted.
/// Toggle operands: 1 on, 0x81 the opposite of the style (which is off).
fn is_deleted(page: &[u8], off: usize) -> bool {
    let Some(cb) = u8_at(page, off) else {
        return false;
    };
    let end = (off + 1 + cb as usize).min(fkp::PAGE - 1);
    let grpprl = page.get(off + 1..end).unwrap_or(&[]);
    prls(grpprl).any(|(s, op)| s == sprm::C_F_RMARK_DEL && matches!(op.first(), Some(1 | 0x81)))
}
