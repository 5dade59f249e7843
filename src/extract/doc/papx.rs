//! Paragraph properties from the PAPX formatted disk pages (PlcBtePapx →
//! PapxFkp): table membership and list numbering, keyed by the byte offset of
//! each paragraph's text in the WordDocument stream.

use super::bytes::{u8_at, u16_at, u32_at};
use super::fkp::{self, PAGE};
use super::sprm::{self, prls};
use crate::extract::{Context, ExtractError};

/// What the reader needs to know about one paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ParaProps {
    pub istd: u16,
    pub in_table: bool,
    /// The paragraph is a table row's end mark.
    pub row_end: bool,
    /// Nesting depth of tables; 0 outside tables.
    pub itap: u32,
    pub inner_cell_end: bool,
    pub inner_row_end: bool,
    pub list: ListRef,
    pub outline: Option<u8>,
}

/// A paragraph's list membership as set directly or by its style.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ListRef {
    /// 1-based index into the LFO table; 0 switches numbering off.
    pub ilfo: Option<i16>,
    pub ilvl: Option<u8>,
}

impl ListRef {
    /// Applies one list or outline sprm; false for any other sprm.
    pub fn apply(&mut self, sprm: u16, op: &[u8]) -> bool {
        match sprm {
            sprm::P_ILFO => self.ilfo = u16_at(op, 0).map(|v| v as i16),
            sprm::P_ILVL => self.ilvl = u8_at(op, 0),
            _ => return false,
        }
        true
    }
}

impl ParaProps {
    fn from_grpprl(istd: u16, grpprl: &[u8]) -> ParaProps {
        let mut p = ParaProps {
            istd,
            ..ParaProps::default()
        };
        for (s, op) in prls(grpprl) {
            if p.list.apply(s, op) {
                continue;
            }
            let flag = op.first().is_some_and(|&b| b != 0);
            match s {
                sprm::P_F_IN_TABLE => p.in_table = flag,
                sprm::P_F_TTP => p.row_end = flag,
                sprm::P_F_INNER_TABLE_CELL => p.inner_cell_end = flag,
                sprm::P_F_INNER_TTP => p.inner_row_end = flag,
                sprm::P_ITAP => p.itap = u32_at(op, 0).unwrap_or(0),
                sprm::P_OUT_LVL => p.outline = op.first().copied(),
                _ => {}
            }
        }
        if p.in_table && p.itap == 0 {
            p.itap = 1;
        }
        p
    }
}

/// Paragraph runs `[start, end)` in stream bytes, sorted by start.
#[derive(Debug, Default)]
pub struct ParaMap {
    runs: Vec<(u32, u32, ParaProps)>,
}

impl ParaMap {
    /// Reads every FKP the PlcBtePapx names. A damaged page is skipped; the
    /// text still comes out, only without table and list structure there.
    pub fn load(
        word: &[u8],
        table: &[u8],
        plc: (u32, u32),
        ctx: &Context,
        warnings: &mut Vec<String>,
    ) -> Result<ParaMap, ExtractError> {
        let mut map = ParaMap::default();
        let Some(fkp::Pages { pages, mut damaged }) = fkp::pages(word, table, plc, ctx)? else {
            warnings.push("段落属性索引（PlcBtePapx）超出表数据流，已忽略表格与编号信息".into());
            return Ok(map);
        };
        for page in pages {
            damaged |= !map.read_fkp(page);
        }
        if damaged {
            warnings.push("部分段落属性页已损坏，表格与编号信息可能不完整".into());
        }
        map.runs.sort_by_key(|r| r.0);
        Ok(map)
    }

    /// Reads one PapxFkp (runs followed by 13-byte BxPap entries); false when
    /// it is malformed.
    fn read_fkp(&mut self, page: &[u8]) -> bool {
        let Some((crun, bounds)) = fkp::runs(page, 13) else {
            return false;
        };
        let bx_at = (crun + 1) * 4;
        for (j, (start, end)) in bounds.into_iter().enumerate() {
            let Some(b_offset) = u8_at(page, bx_at + j * 13) else {
                return false;
            };
            if end <= start {
                continue;
            }
            let props = papx_in_fkp(page, b_offset as usize * 2).unwrap_or_default();
            self.runs.push((start, end, props));
        }
        true
    }

    /// Properties of the paragraph whose text includes stream byte `fc`.
    pub fn at(&self, fc: u32) -> Option<&ParaProps> {
        let i = self.runs.partition_point(|r| r.0 <= fc).checked_sub(1)?;
        let run = &self.runs[i];
        (fc < run.1).then_some(&run.2)
    }
}

/// PapxInFkp at `off`: a count of 2-byte words (or 0 and the count in the
/// next byte), then the style index and the paragraph's sprms.
fn papx_in_fkp(page: &[u8], off: usize) -> Option<ParaProps> {
    if off == 0 {
        return None;
    }
    let cb = u8_at(page, off)? as usize;
    let body = if cb != 0 {
        page.get(off + 1..(off + 1 + 2 * cb - 1).min(PAGE - 1))?
    } else {
        let cb2 = u8_at(page, off + 1)? as usize;
        page.get(off + 2..(off + 2 + 2 * cb2).min(PAGE - 1))?
    };
    let istd = u16_at(body, 0)?;
    Some(ParaProps::from_grpprl(istd, body.get(2..).unwrap_or(&[])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fkp_entries_map_stream_offsets_to_properties() {
        let mut page = vec![0u8; PAGE];
        page[PAGE - 1] = 2;
        for (i, fc) in [100u32, 110, 130].iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        // Second paragraph: PAPX at byte 400 with istd 3 and sprmPFInTable.
        page[12 + 13] = 200;
        page[400..406].copy_from_slice(&[3, 3, 0, 0x16, 0x24, 1]);
        let mut map = ParaMap::default();
        assert!(map.read_fkp(&page));
        assert_eq!(map.at(105).map(|p| p.in_table), Some(false));
        let p = map.at(120).copied().unwrap_or_default();
        assert!(p.in_table && p.istd == 3 && p.itap == 1);
        assert!(map.at(130).is_none());
        assert!(map.at(99).is_none());
    }
}
