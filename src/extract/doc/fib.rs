//! The File Information Block at the start of the WordDocument stream: which
//! table stream to use, how long each story is, and where the table-stream
//! structures sit.

use super::bytes::{u16_at, u32_at};
use crate::extract::ExtractError;

const W_IDENT: u16 = 0xA5EC;
/// Word 97 writes nFib 0x00C1; Word 6/95 files (0x0065–0x0068) have another layout.
const MIN_NFIB_97: u16 = 0x00C0;

/// Indexes of `(fc, lcb)` pairs in FibRgFcLcb97.
pub const STSHF: usize = 1;
pub const PLCF_HDD: usize = 11;
pub const PLCF_BTE_CHPX: usize = 12;
pub const PLCF_BTE_PAPX: usize = 13;
pub const CLX: usize = 33;
pub const PLF_LST: usize = 73;
pub const PLF_LFO: usize = 74;

/// Character counts of the stories, in the order they follow each other in CP space.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ccp {
    pub text: u32,
    pub ftn: u32,
    pub hdd: u32,
    /// Macro text of old files; always 0 since Word 97 but still occupies CP space.
    pub mcr: u32,
    pub atn: u32,
    pub edn: u32,
    pub txbx: u32,
    pub hdr_txbx: u32,
}

#[derive(Debug)]
pub struct Fib {
    /// `fWhichTblStm`: the table stream is `1Table` rather than `0Table`.
    pub table_1: bool,
    pub ccp: Ccp,
    fc_lcb: Vec<(u32, u32)>,
}

impl Fib {
    pub fn parse(word: &[u8]) -> Result<Fib, ExtractError> {
        let corrupt = || ExtractError::Corrupt("Word 文档头（FIB）不完整".into());
        let ident = u16_at(word, 0).ok_or_else(corrupt)?;
        if ident != W_IDENT {
            return Err(ExtractError::Corrupt(
                "WordDocument 数据流的标识不正确，不是有效的 Word 文档".into(),
            ));
        }
        let n_fib = u16_at(word, 2).ok_or_else(corrupt)?;
        let flags = u16_at(word, 10).ok_or_else(corrupt)?;
        if flags & 0x0100 != 0 {
            return Err(ExtractError::Encrypted(
                "Word 文档设有打开密码，请解密后再审查".into(),
            ));
        }
        if n_fib < MIN_NFIB_97 {
            return Err(ExtractError::Unsupported(
                "Word 6.0/95 或更早版本的文档，请另存为 .docx 后再审查".into(),
            ));
        }

        // FibRgW, FibRgLw and FibRgFcLcb each start with their own length,
        // so later Word versions that grow them still parse.
        let csw = u16_at(word, 32).ok_or_else(corrupt)? as usize;
        let lw_at = 34 + csw * 2;
        let cslw = u16_at(word, lw_at).ok_or_else(corrupt)? as usize;
        if cslw < 11 {
            return Err(corrupt());
        }
        let lw = |i: usize| u32_at(word, lw_at + 2 + i * 4).ok_or_else(corrupt);
        let ccp = Ccp {
            text: lw(3)?,
            ftn: lw(4)?,
            hdd: lw(5)?,
            mcr: lw(6)?,
            atn: lw(7)?,
            edn: lw(8)?,
            txbx: lw(9)?,
            hdr_txbx: lw(10)?,
        };
        let fc_at = lw_at + 2 + cslw * 4;
        let count = u16_at(word, fc_at).ok_or_else(corrupt)? as usize;
        let fc_lcb = (0..count)
            .map_while(|i| {
                let at = fc_at + 2 + i * 8;
                Some((u32_at(word, at)?, u32_at(word, at + 4)?))
            })
            .collect::<Vec<_>>();
        if fc_lcb.len() <= CLX {
            return Err(corrupt());
        }
        Ok(Fib {
            table_1: flags & 0x0200 != 0,
            ccp,
            fc_lcb,
        })
    }

    /// The `(fc, lcb)` pair at `index`; `(0, 0)` when the FIB is too short to have it.
    pub fn pair(&self, index: usize) -> (u32, u32) {
        self.fc_lcb.get(index).copied().unwrap_or((0, 0))
    }
}
