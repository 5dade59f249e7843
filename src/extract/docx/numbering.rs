//! `word/numbering.xml`: list definitions, and the counters that turn them into
//! the labels Word shows (一、 （二） 1. …) but never stores in the text.
//!
//! Word keeps one set of counters per abstract list: every `w:num` that points
//! at the same `w:abstractNum` continues it, and a `w:startOverride` in a
//! `w:num` restarts it the first time that `w:num` is used at that level.

use std::collections::{HashMap, HashSet};

use super::super::xml::{SafeXml, XmlEvent, attr, local_name};
use super::super::{Context, ExtractError};
use super::number_format::format_number;
use super::parse_int;
use super::styles::{Styles, is_on};

pub const LEVELS: usize = 9;

/// Longest `w:lvlText` kept: real ones are a few characters, and a huge one
/// repeated on every paragraph would blow the text up.
const MAX_LVL_TEXT: usize = 64;

/// What follows the label in Word: a tab, a space or nothing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

/// One `w:lvl`.
#[derive(Debug, Default, Clone)]
struct Level {
    /// `w:start`; the schema default is 0.
    start: i64,
    format: Option<String>,
    custom_format: Option<String>,
    text: Option<String>,
    /// `w:lvlRestart`, 1-based; 0 = never restart.
    restart: Option<i64>,
    legal: bool,
    suffix: Suffix,
    style: Option<String>,
}

impl Level {
    fn is_bullet(&self) -> bool {
        self.format.as_deref() == Some("bullet")
    }
}

#[derive(Debug, Default, Clone)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the levels live in the list of this numbering style.
    style_link: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct Override {
    start: Option<i64>,
    level: Option<Level>,
}

#[derive(Debug, Default, Clone)]
struct Num {
    abstract_id: Option<i64>,
    overrides: [Option<Override>; LEVELS],
}

#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<i64, AbstractNum>,
    nums: HashMap<i64, Num>,
}

/// A generated label and what separates it from the paragraph text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub text: String,
    pub suffix: Suffix,
}

/// Running counters of one part (body, or one header, …).
#[derive(Debug, Default)]
pub struct Counters {
    /// Last value shown per abstract list and level; `None` = not started.
    values: HashMap<i64, [Option<i64>; LEVELS]>,
    /// `(numId, level)` whose start override has been applied.
    overridden: HashSet<(i64, usize)>,
}

/// Where the parser is inside numbering.xml.
enum Owner {
    None,
    Abstract(i64, AbstractNum),
    Num(i64, Num),
}

impl Numbering {
    pub fn parse(bytes: &[u8], part: &str, ctx: &Context) -> Result<Numbering, ExtractError> {
        let mut xml = SafeXml::new(bytes, part, ctx);
        let mut numbering = Numbering::default();
        let mut owner = Owner::None;
        // Level being read: (ilvl, definition); in a num it belongs to `override_level`.
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        loop {
            let (e, empty) = match xml.next()? {
                XmlEvent::Start(e) => (e, false),
                XmlEvent::Empty(e) => (e, true),
                XmlEvent::End(name) => {
                    match name.as_str() {
                        "lvl" => store_level(&mut owner, level.take(), override_level),
                        "lvlOverride" => override_level = None,
                        "abstractNum" | "num" => {
                            numbering.store(std::mem::replace(&mut owner, Owner::None))
                        }
                        _ => {}
                    }
                    continue;
                }
                XmlEvent::Text(_) => continue,
                XmlEvent::Eof => break,
            };
            let name = local_name(&e);
            let val = attr(&e, "val");
            match name {
                "abstractNum" if !empty => {
                    if let Some(id) = attr(&e, "abstractNumId").as_deref().and_then(parse_int) {
                        owner = Owner::Abstract(id, AbstractNum::default());
                    }
                }
                "num" if !empty => {
                    if let Some(id) = attr(&e, "numId").as_deref().and_then(parse_int) {
                        owner = Owner::Num(id, Num::default());
                    }
                }
                "lvl" if !empty => {
                    let ilvl = attr(&e, "ilvl").as_deref().and_then(parse_level);
                    level = ilvl.map(|i| (i, Level::default()));
                }
                "lvlOverride" if !empty => {
                    override_level = attr(&e, "ilvl").as_deref().and_then(parse_level);
                }
                _ => {}
            }
            if let Some((_, lvl)) = level.as_mut() {
                read_level_property(lvl, name, &e, val);
                continue;
            }
            match (&mut owner, name) {
                (Owner::Abstract(_, a), "numStyleLink") => a.style_link = val,
                (Owner::Num(_, n), "abstractNumId") => {
                    n.abstract_id = val.as_deref().and_then(parse_int);
                }
                (Owner::Num(_, n), "startOverride") => {
                    if let Some(slot) = override_level.and_then(|i| n.overrides.get_mut(i)) {
                        slot.get_or_insert_default().start = val.as_deref().and_then(parse_int);
                    }
                }
                _ => {}
            }
        }
        Ok(numbering)
    }

    fn store(&mut self, owner: Owner) {
        match owner {
            Owner::Abstract(id, a) => {
                self.abstracts.insert(id, a);
            }
            Owner::Num(id, n) => {
                self.nums.insert(id, n);
            }
            Owner::None => {}
        }
    }

    /// Points lists declared through `w:numStyleLink` at the abstract list of
    /// the numbering style they name, so they share its levels and counters.
    pub fn resolve_style_links(&mut self, styles: &Styles) {
        let redirects: Vec<(i64, i64)> = self
            .nums
            .iter()
            .filter_map(|(&num_id, num)| {
                let mut target = num.abstract_id?;
                // A link may point at another link; a few hops settle every real case.
                for _ in 0..4 {
                    let link = self.abstracts.get(&target)?.style_link.as_deref();
                    let Some(style) = link else { break };
                    let linked_num = styles.numbering(style).0?;
                    let next = self.nums.get(&linked_num)?.abstract_id?;
                    if next == target {
                        break;
                    }
                    target = next;
                }
                Some((num_id, target))
            })
            .collect();
        for (num_id, target) in redirects {
            if let Some(num) = self.nums.get_mut(&num_id) {
                num.abstract_id = Some(target);
            }
        }
    }

    /// The effective definition of `level` for a num: its override, else the abstract one.
    fn level<'s>(&'s self, num: &'s Num, level: usize) -> Option<&'s Level> {
        let overridden = num
            .overrides
            .get(level)
            .and_then(|o| o.as_ref())
            .and_then(|o| o.level.as_ref());
        overridden.or_else(|| {
            let a = self.abstracts.get(&num.abstract_id?)?;
            a.levels.get(level)?.as_ref()
        })
    }

    /// Advances the counters for one numbered paragraph and returns its label.
    /// `ilvl` absent: the level linked to `style`, else the first level.
    pub fn next_label(
        &self,
        counters: &mut Counters,
        num_id: i64,
        ilvl: Option<i64>,
        style: Option<&str>,
    ) -> Option<Label> {
        let num = self.nums.get(&num_id)?;
        let abstract_id = num.abstract_id?;
        let ilvl = match ilvl {
            Some(i) => usize::try_from(i).ok().filter(|&i| i < LEVELS)?,
            None => (0..LEVELS)
                .find(|&i| {
                    style.is_some() && self.level(num, i).and_then(|l| l.style.as_deref()) == style
                })
                .unwrap_or(0),
        };
        let def = self.level(num, ilvl)?;
        let start_of = |i: usize| self.level(num, i).map_or(0, |l| l.start);

        let values = counters.values.entry(abstract_id).or_default();
        let restart = num
            .overrides
            .get(ilvl)
            .and_then(|o| o.as_ref())
            .and_then(|o| o.start);
        if let Some(start) = restart
            && counters.overridden.insert((num_id, ilvl))
        {
            values[ilvl] = Some(start.saturating_sub(1));
        }
        values[ilvl] = Some(match values[ilvl] {
            Some(v) => v.saturating_add(1),
            None => def.start,
        });
        for (deeper, value) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let restart_after = self
                .level(num, deeper)
                .and_then(|l| l.restart)
                .unwrap_or(deeper as i64);
            if (ilvl as i64) < restart_after {
                *value = None;
            }
        }

        if def.is_bullet() {
            return None;
        }
        let text = render(def.text.as_deref()?, |i| {
            // A level not used since it was reset shows one less than its
            // start, as Word does ("1.0.1" when a level is skipped).
            let value = values[i].unwrap_or_else(|| start_of(i).saturating_sub(1));
            match self.level(num, i) {
                Some(l) if !def.legal => {
                    let fmt = l.format.as_deref().unwrap_or("decimal");
                    format_number(fmt, l.custom_format.as_deref(), value)
                }
                _ => value.to_string(),
            }
        });
        let text = text.trim().to_string();
        (!text.is_empty()).then_some(Label {
            text,
            suffix: def.suffix,
        })
    }
}

/// Fills `%1`…`%9` in a `w:lvlText`; symbol-font glyphs (private use area) are dropped.
fn render(template: &str, mut value: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%'
            && let Some(d) = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|d| (1..=9).contains(d))
        {
            chars.next();
            out.push_str(&value(d as usize - 1));
        } else if !('\u{E000}'..='\u{F8FF}').contains(&c) {
            out.push(c);
        }
    }
    out
}

fn read_level_property(
    lvl: &mut Level,
    name: &str,
    e: &quick_xml::events::BytesStart,
    val: Option<String>,
) {
    match name {
        "start" => lvl.start = val.as_deref().and_then(parse_int).unwrap_or(0),
        "numFmt" => {
            // Word writes newer formats as mc:Choice `custom` plus a plain
            // mc:Fallback; a plain format wins over `custom`.
            let replace = lvl.format.as_deref().is_none_or(|f| f == "custom");
            if replace && val.is_some() {
                lvl.custom_format = attr(e, "format");
                lvl.format = val;
            }
        }
        "lvlText" => {
            lvl.text = val.map(|t| t.chars().take(MAX_LVL_TEXT).collect());
        }
        "lvlRestart" => lvl.restart = val.as_deref().and_then(parse_int),
        "isLgl" => lvl.legal = val.as_deref().is_none_or(is_on),
        "suff" => {
            lvl.suffix = match val.as_deref() {
                Some("space") => Suffix::Space,
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Tab,
            }
        }
        "pStyle" => lvl.style = val,
        _ => {}
    }
}

fn store_level(owner: &mut Owner, level: Option<(usize, Level)>, override_level: Option<usize>) {
    let Some((ilvl, lvl)) = level else { return };
    match owner {
        Owner::Abstract(_, a) => {
            if let Some(slot) = a.levels.get_mut(ilvl) {
                *slot = Some(lvl);
            }
        }
        Owner::Num(_, n) => {
            let at = override_level.unwrap_or(ilvl);
            if let Some(slot) = n.overrides.get_mut(at) {
                slot.get_or_insert_default().level = Some(lvl);
            }
        }
        Owner::None => {}
    }
}

fn parse_level(s: &str) -> Option<usize> {
    parse_int(s)
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&i| i < LEVELS)
}
