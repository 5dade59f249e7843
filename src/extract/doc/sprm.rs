//! Property modifiers (Prl: a sprm and its operand), as found in PAPX,
//! style and list-level property lists.

use super::bytes::{u8_at, u16_at};

pub const P_ILVL: u16 = 0x260A;
pub const P_ILFO: u16 = 0x460B;
pub const P_F_IN_TABLE: u16 = 0x2416;
pub const P_F_TTP: u16 = 0x2417;
pub const P_OUT_LVL: u16 = 0x2640;
pub const P_F_INNER_TABLE_CELL: u16 = 0x244B;
pub const P_F_INNER_TTP: u16 = 0x244C;
pub const P_ITAP: u16 = 0x6649;
/// Text deleted under revision tracking.
pub const C_F_RMARK_DEL: u16 = 0x0800;

const T_DEF_TABLE: u16 = 0xD608;
const P_CHG_TABS: u16 = 0xC615;

/// Iterates `(sprm, operand)` over a grpprl, stopping at the first Prl that
/// does not fit.
pub fn prls(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let sprm = u16_at(grpprl, at)?;
        let (skip, len) = operand_size(sprm, grpprl, at + 2)?;
        let start = at + 2 + skip;
        let operand = grpprl.get(start..start.checked_add(len)?)?;
        at = start + len;
        Some((sprm, operand))
    })
}

/// Bytes before the operand proper (its length prefix) and the operand length.
fn operand_size(sprm: u16, b: &[u8], at: usize) -> Option<(usize, usize)> {
    Some(match sprm >> 13 {
        0 | 1 => (0, 1),
        2 | 4 | 5 => (0, 2),
        3 => (0, 4),
        7 => (0, 3),
        _ => match sprm {
            // Its length is a 2-byte count that includes one byte too many.
            T_DEF_TABLE => (2, (u16_at(b, at)? as usize).saturating_sub(1)),
            P_CHG_TABS => match u8_at(b, at)? {
                255 => {
                    // Deleted tabs: a count and 4 bytes each; added: a count and 3 each.
                    let deleted = u8_at(b, at + 1)? as usize;
                    let added = u8_at(b, at + 2 + deleted * 4)? as usize;
                    (1, 2 + deleted * 4 + added * 3)
                }
                n => (1, n as usize),
            },
            _ => (1, u8_at(b, at)? as usize),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operand_sizes_follow_spra() {
        // sprmPFInTable 1, sprmPIlfo 0x0002, a variable sprm of 3 bytes, sprmPItap 1.
        let g = [
            0x16, 0x24, 1, 0x0B, 0x46, 2, 0, 0x15, 0xC6, 3, 9, 9, 9, 0x49, 0x66, 1, 0, 0, 0,
        ];
        let all: Vec<(u16, Vec<u8>)> = prls(&g).map(|(s, o)| (s, o.to_vec())).collect();
        assert_eq!(
            all,
            vec![
                (P_F_IN_TABLE, vec![1]),
                (P_ILFO, vec![2, 0]),
                (0xC615, vec![9, 9, 9]),
                (P_ITAP, vec![1, 0, 0, 0]),
            ]
        );
        // A truncated Prl ends the list without panicking.
        assert_eq!(prls(&[0x0B, 0x46, 2]).count(), 0);
    }
}
