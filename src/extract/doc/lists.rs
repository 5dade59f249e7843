//! Automatic list numbering: list definitions (PlfLst and the LVLs after it),
//! list instances with their overrides (PlfLfo), and the counters that turn a
//! paragraph's `(ilfo, ilvl)` into the label Word would show ("一、", "（二）", "3.").

use std::collections::HashMap;

use super::bytes::{i32_at, u8_at, u16_at, u32_at, utf16_units};
use super::numfmt;
use crate::extract::{Context, ExtractError};

const LEVELS: usize = 9;
const LSTF_LEN: usize = 28;
const LVLF_LEN: usize = 28;
const LFO_LEN: usize = 16;

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    nfc: u8,
    /// Show every level's number in decimal ("legal" numbering).
    legal: bool,
    /// What follows the label: 0 tab, 1 space, 2 nothing.
    follow: u8,
    /// The number text: placeholders are the code units 0–8 (a level's number).
    text: Vec<u16>,
}

#[derive(Debug)]
struct List {
    id: i32,
    levels: Vec<Level>,
}

#[derive(Debug, Default)]
struct Instance {
    list_id: i32,
    /// Per level: a restart value and/or a replacement level definition.
    overrides: Vec<(u8, Option<i64>, Option<Level>)>,
}

/// What follows a label before the paragraph text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub text: String,
    pub follow: Follow,
}

#[derive(Debug, Default)]
pub struct Lists {
    lists: Vec<List>,
    instances: Vec<Instance>,
    /// Current number per level, per list definition (Word counts per list,
    /// across the instances that share it).
    counters: HashMap<i32, [Option<i64>; LEVELS]>,
    /// Instances already seen: their start overrides apply only once.
    started: Vec<bool>,
}

impl Lists {
    /// Reads PlfLst (+ LVLs) and PlfLfo. Damage ends the parse with what was read.
    pub fn parse(
        table: &[u8],
        lst: (u32, u32),
        lfo: (u32, u32),
        ctx: &Context,
    ) -> Result<Lists, ExtractError> {
        let mut lists = Lists::default();
        if lst.1 > 0
            && let Some(from) = table.get(lst.0 as usize..)
        {
            lists.lists = parse_lists(from, ctx)?;
        }
        if lfo.1 > 0
            && let Some(from) = table.get(lfo.0 as usize..)
        {
            lists.instances = parse_instances(from, ctx)?;
        }
        lists.started = vec![false; lists.instances.len()];
        Ok(lists)
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Advances the counters for a paragraph in list instance `ilfo` at level
    /// `ilvl` and returns its label; `None` when it shows no number.
    pub fn next_label(&mut self, ilfo: i16, ilvl: u8) -> Option<Label> {
        let index = usize::try_from(ilfo).ok()?.checked_sub(1)?;
        let ilvl = (ilvl as usize).min(LEVELS - 1);
        let instance = self.instances.get(index)?;
        let list = self.lists.iter().find(|l| l.id == instance.list_id)?;
        let level_of = |k: usize| -> Option<&Level> {
            instance
                .overrides
                .iter()
                .find_map(|(l, _, def)| (*l as usize == k).then_some(def.as_ref()).flatten())
                .or_else(|| list.levels.get(k))
        };
        let counters = self.counters.entry(list.id).or_insert([None; LEVELS]);
        if let Some(seen) = self.started.get_mut(index)
            && !*seen
        {
            *seen = true;
            for (k, start, _) in &instance.overrides {
                if let (Some(start), Some(slot)) = (start, counters.get_mut(*k as usize)) {
                    *slot = Some(start - 1);
                }
            }
        }
        let level = level_of(ilvl)?;
        let n = counters[ilvl].map_or(level.start, |c| c.saturating_add(1));
        counters[ilvl] = Some(n);
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        if numfmt::is_bullet_or_none(level.nfc) {
            return None;
        }
        let mut text = String::new();
        for unit in char::decode_utf16(level.text.iter().copied()) {
            match unit {
                Ok(c) if (c as u32) < LEVELS as u32 => {
                    let k = c as usize;
                    let Some(def) = level_of(k) else { continue };
                    let value = counters[k].unwrap_or(def.start);
                    let nfc = if level.legal && k < ilvl { 0 } else { def.nfc };
                    text.push_str(&numfmt::format(nfc, value));
                }
                Ok(c) => text.push(c),
                Err(_) => {}
            }
        }
        let follow = match level.follow {
            0 => Follow::Tab,
            1 => Follow::Space,
            _ => Follow::Nothing,
        };
        (!text.trim().is_empty()).then_some(Label { text, follow })
    }
}

fn parse_lists(b: &[u8], ctx: &Context) -> Result<Vec<List>, ExtractError> {
    let Some(count) = u16_at(b, 0).map(|c| c as i16) else {
        return Ok(Vec::new());
    };
    let count = usize::try_from(count).unwrap_or(0);
    if 2 + count * LSTF_LEN > b.len() {
        return Ok(Vec::new());
    }
    // All LSTFs first, then each list's LVLs in the same order.
    let mut at = 2 + count * LSTF_LEN;
    let mut lists = Vec::with_capacity(count);
    for i in 0..count {
        ctx.deadline.check()?;
        let lstf = 2 + i * LSTF_LEN;
        let (Some(id), Some(flags)) = (i32_at(b, lstf), u8_at(b, lstf + 26)) else {
            break;
        };
        let n_levels = if flags & 0x01 != 0 { 1 } else { LEVELS };
        let mut levels = Vec::with_capacity(n_levels);
        for _ in 0..n_levels {
            let Some((level, next)) = parse_level(b, at) else {
                lists.push(List { id, levels });
                return Ok(lists);
            };
            levels.push(level);
            at = next;
        }
        lists.push(List { id, levels });
    }
    Ok(lists)
}

/// One LVL at `at`: LVLF, paragraph and character sprms (skipped), number text.
fn parse_level(b: &[u8], at: usize) -> Option<(Level, usize)> {
    let lvlf = b.get(at..at + LVLF_LEN)?;
    let start = i32_at(lvlf, 0)? as i64;
    let nfc = u8_at(lvlf, 4)?;
    let flags = u8_at(lvlf, 5)?;
    let follow = u8_at(lvlf, 15)?;
    let cb_chpx = u8_at(lvlf, 24)? as usize;
    let cb_papx = u8_at(lvlf, 25)? as usize;
    let xst = at + LVLF_LEN + cb_papx + cb_chpx;
    let cch = u16_at(b, xst)? as usize;
    let text = utf16_units(b, xst + 2, cch)?;
    let level = Level {
        start,
        nfc,
        legal: flags & 0x04 != 0,
        follow,
        text,
    };
    Some((level, xst + 2 + cch * 2))
}

fn parse_instances(b: &[u8], ctx: &Context) -> Result<Vec<Instance>, ExtractError> {
    let Some(count) = i32_at(b, 0) else {
        return Ok(Vec::new());
    };
    let count = usize::try_from(count).unwrap_or(0);
    if count.saturating_mul(LFO_LEN).saturating_add(4) > b.len() {
        return Ok(Vec::new());
    }
    let mut instances: Vec<(Instance, u8)> = (0..count)
        .filter_map(|i| {
            let lfo = 4 + i * LFO_LEN;
            let instance = Instance {
                list_id: i32_at(b, lfo)?,
                overrides: Vec::new(),
            };
            Some((instance, u8_at(b, lfo + 12)?))
        })
        .collect();
    // LFOData follows, one per LFO: a CP, then its level overrides.
    let mut at = 4 + count * LFO_LEN;
    'lfos: for (instance, n_overrides) in instances.iter_mut() {
        ctx.deadline.check()?;
        at += 4;
        for _ in 0..*n_overrides {
            let (Some(start), Some(flags)) = (i32_at(b, at), u32_at(b, at + 4)) else {
                break 'lfos;
            };
            at += 8;
            let ilvl = (flags & 0x0F) as u8;
            let restart = (flags & 0x10 != 0).then_some(start as i64);
            let mut def = None;
            if flags & 0x20 != 0 {
                let Some((level, next)) = parse_level(b, at) else {
                    break 'lfos;
                };
                def = Some(level);
                at = next;
            }
            instance.overrides.push((ilvl, restart, def));
        }
    }
    Ok(instances.into_iter().map(|(i, _)| i).collect())
}
