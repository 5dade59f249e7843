//! Compiles word lists and rules into one matcher over the whole text.
//!
//! The literal terms of every list a rule uses go into a single Aho-Corasick
//! automaton and the few `re:` patterns into regexes, so a document is scanned
//! once however many rules there are. Lists the engine only consults around a
//! candidate (what follows a prohibition, the modality of a sentence, a legal
//! basis in a clause) get small matchers of their own and are never scanned
//! for over the whole text.

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, Anchored, Input, StartKind};
use regex::Regex;

use crate::automaton::Automaton;

use super::pattern::Pattern;

use super::pack::{DataError, RuleSpec, SourcedRule, WordList};
use super::standards::Standards;

pub type ListId = usize;

/// Engine lists found in the whole-text pass (they mark other hits).
pub const SCANNED_CONTEXT: &[&str] = &[
    "negation",
    "cleanup",
    "cleanup_after",
    "restricted_party",
    "scope_statement",
    "local",
];

/// Engine lists consulted only around a candidate, through [`ListMatcher`].
pub const LOCAL_CONTEXT: &[&str] = &[
    "normative_action",
    "binding",
    "legal_basis",
    "exception_reason",
    "time_limit",
    "organ",
    "contrast",
    "negation",
    "cleanup",
    "cleanup_after",
    "government_subject",
    "even_handed",
    "purpose_statement",
];

/// Engine list of characters too common in policy text to gate a pattern
/// on (a speed hint: results are the same without it).
pub const COMMON_CHARS: &str = "common_chars";

/// Matches one word list inside a short piece of text.
#[derive(Debug)]
pub struct ListMatcher {
    /// All literal terms in one automaton: one pass per text, however long
    /// the list.
    literals: Option<AhoCorasick>,
    patterns: Vec<Regex>,
    /// The same patterns anchored at the start, so that [`Self::starts`]
    /// never scans past the first characters.
    anchored: Vec<Regex>,
}

impl ListMatcher {
    fn new(list: &WordList) -> Result<Self, String> {
        let compile = |p: &str| Regex::new(p).map_err(|e| format!("正则表达式 {p} 无效：{e}"));
        let mut literals = Vec::new();
        let (mut patterns, mut anchored) = (Vec::new(), Vec::new());
        for t in &list.terms {
            match t.strip_prefix("re:") {
                Some(p) => {
                    patterns.push(compile(p)?);
                    anchored.push(compile(&format!("^(?:{p})"))?);
                }
                None => literals.push(t.trim().to_string()),
            }
        }
        let literals = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .start_kind(StartKind::Both)
                    .build(&literals)
                    .map_err(|e| format!("词条无法编译：{e}"))?,
            )
        };
        Ok(ListMatcher {
            literals,
            patterns,
            anchored,
        })
    }

    pub fn occurs_in(&self, text: &str) -> bool {
        self.literals.as_ref().is_some_and(|ac| ac.is_match(text))
            || self.patterns.iter().any(|p| p.is_match(text))
    }

    /// Byte spans of the leftmost literal matches in `text`.
    pub fn literal_spans<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        self.literals
            .iter()
            .flat_map(move |ac| ac.find_iter(text).map(|m| (m.start(), m.end())))
    }

    /// Byte spans of the literal and pattern matches in `text`, literals first.
    pub fn spans<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        self.literal_spans(text).chain(
            self.patterns
                .iter()
                .flat_map(move |p| p.find_iter(text).map(|m| (m.start(), m.end()))),
        )
    }

    pub fn starts(&self, text: &str) -> bool {
        let anchored = Input::new(text).anchored(Anchored::Yes);
        self.literals
            .as_ref()
            .is_some_and(|ac| ac.is_match(anchored))
            || self.anchored.iter().any(|p| p.is_match(text))
    }
}

#[derive(Debug)]
pub struct CompiledRule {
    pub spec: RuleSpec,
    pub groups: Vec<Vec<ListId>>,
    pub unless: Vec<ListId>,
    /// The exemptions that also count in an item's lead-in.
    pub unless_in_lead_in: Vec<ListId>,
    pub legal_basis_gate: bool,
}

/// One literal set a pattern needs (see `gate.rs`): pattern `pattern`'s set
/// number `set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GateRef {
    pub pattern: u32,
    pub set: u32,
}

#[derive(Debug)]
pub struct Compiled {
    pub rules: Vec<CompiledRule>,
    /// One automaton over every literal: list terms and pattern gates.
    pub literals: Option<Automaton>,
    /// For each automaton pattern: its text and the lists it belongs to
    /// (none for a literal that only gates patterns).
    pub literal_terms: Vec<(String, Vec<ListId>)>,
    /// For each automaton pattern: the pattern literal sets it satisfies.
    pub literal_gates: Vec<Vec<GateRef>>,
    pub patterns: Vec<(Pattern, Vec<ListId>)>,
    /// For each pattern: how many literal sets must occur in a sentence
    /// before it runs there (0 for an ungated pattern).
    pub gate_sets: Vec<u32>,
    /// For each pattern and set: most bytes between the previous set's
    /// literal and this one's (`usize::MAX`: unbounded).
    pub gate_gaps: Vec<Vec<usize>>,
    /// Patterns with no gate: they scan the whole text.
    pub ungated: Vec<usize>,
    /// For each pattern: whether no match can hold a full-width comma, so
    /// it can be gated and run piece by piece.
    pub comma_free: Vec<bool>,
    /// Number of lists; list ids are `0..list_count`.
    pub list_count: usize,
    /// Ids of the lists in [`SCANNED_CONTEXT`].
    pub context: HashMap<&'static str, ListId>,
    /// Matchers of the lists in [`LOCAL_CONTEXT`].
    pub local: HashMap<&'static str, ListMatcher>,
    /// The lists whose terms in a lead-in exempt its items (`reaches_items`).
    pub item_exemptions: Vec<ListMatcher>,
}

#[derive(Default)]
struct Builder {
    list_names: Vec<String>,
    by_name: HashMap<String, ListId>,
    literal_index: HashMap<String, usize>,
    literal_terms: Vec<(String, Vec<ListId>)>,
    pattern_index: HashMap<String, usize>,
    patterns: Vec<(Pattern, Vec<ListId>)>,
}

impl Builder {
    fn new_list(&mut self, name: String) -> ListId {
        let id = self.list_names.len();
        self.by_name.insert(name.clone(), id);
        self.list_names.push(name);
        id
    }

    fn add_term(&mut self, list: ListId, term: &str) -> Result<(), String> {
        if let Some(pattern) = term.strip_prefix("re:") {
            let idx = match self.pattern_index.get(pattern) {
                Some(&i) => i,
                None => {
                    let re = Pattern::new(pattern)
                        .map_err(|e| format!("正则表达式 {pattern} 无效：{e}"))?;
                    self.patterns.push((re, Vec::new()));
                    self.pattern_index
                        .insert(pattern.to_string(), self.patterns.len() - 1);
                    self.patterns.len() - 1
                }
            };
            push_unique(&mut self.patterns[idx].1, list);
        } else {
            let term = term.trim();
            if term.is_empty() {
                return Err("词条为空".into());
            }
            let idx = *self
                .literal_index
                .entry(term.to_string())
                .or_insert_with(|| {
                    self.literal_terms.push((term.to_string(), Vec::new()));
                    self.literal_terms.len() - 1
                });
            push_unique(&mut self.literal_terms[idx].1, list);
        }
        Ok(())
    }

    /// Resolves one rule group (terms and `@list` references) to list ids;
    /// inline terms become an anonymous list of their own.
    fn group(&mut self, rule: &str, g: usize, terms: &[String]) -> Result<Vec<ListId>, String> {
        let mut ids = Vec::new();
        let mut inline: Option<ListId> = None;
        for t in terms {
            if let Some(name) = t.strip_prefix('@') {
                let id = *self
                    .by_name
                    .get(name)
                    .ok_or_else(|| format!("引用了不存在的词表 @{name}"))?;
                push_unique(&mut ids, id);
            } else {
                let id = match inline {
                    Some(id) => id,
                    None => {
                        let id = self.new_list(format!("{rule}#{g}"));
                        ids.push(id);
                        inline = Some(id);
                        id
                    }
                };
                self.add_term(id, t)?;
            }
        }
        Ok(ids)
    }
}

fn push_unique(v: &mut Vec<ListId>, id: ListId) {
    if !v.contains(&id) {
        v.push(id);
    }
}

/// A named list with the file it came from.
pub struct SourcedList<'a> {
    pub name: &'a str,
    pub list: &'a WordList,
    pub file: &'a Path,
    pub line: usize,
}

pub fn compile(
    lists: &[SourcedList],
    rules: Vec<SourcedRule>,
    standards: &Standards,
) -> Result<Compiled, DataError> {
    let mut b = Builder::default();
    let used = referenced_lists(&rules);
    let mut local = HashMap::new();
    let mut reaching_items = std::collections::HashSet::new();
    let mut item_exemptions = Vec::new();
    for l in lists {
        if b.by_name.contains_key(l.name) {
            return Err(DataError::new(
                l.file,
                l.line,
                format!("词表 {} 重复定义", l.name),
            ));
        }
        let err = |m: String| DataError::new(l.file, l.line, format!("词表 {}：{m}", l.name));
        let id = b.new_list(l.name.to_string());
        if l.list.reaches_items {
            reaching_items.insert(id);
            item_exemptions.push(ListMatcher::new(l.list).map_err(err)?);
        }
        if used.contains(l.name) || SCANNED_CONTEXT.contains(&l.name) {
            for t in &l.list.terms {
                b.add_term(id, t).map_err(err)?;
            }
        }
        if let Some(name) = LOCAL_CONTEXT.iter().find(|n| **n == l.name) {
            local.insert(*name, ListMatcher::new(l.list).map_err(err)?);
        }
    }
    let missing = |name: &str| {
        DataError::new(
            Path::new("dictionaries/lexicon"),
            1,
            format!("缺少引擎所需的词表 {name}"),
        )
    };
    let mut context = HashMap::new();
    for name in SCANNED_CONTEXT {
        context.insert(*name, *b.by_name.get(*name).ok_or_else(|| missing(name))?);
    }
    if let Some(name) = LOCAL_CONTEXT.iter().find(|n| !local.contains_key(**n)) {
        return Err(missing(name));
    }
    let mut compiled_rules = Vec::new();
    let mut seen_ids: HashMap<String, ()> = HashMap::new();
    for r in rules {
        let err = |m: String| DataError::new(&r.file, r.line, format!("规则 {}：{m}", r.spec.id));
        if seen_ids.insert(r.spec.id.clone(), ()).is_some() {
            return Err(err("规则编号重复".into()));
        }
        let item = standards.item(r.spec.article, r.spec.item).ok_or_else(|| {
            err(format!(
                "条目 第{}条第（{}）项 不存在",
                r.spec.article, r.spec.item
            ))
        })?;
        if r.spec.require.is_empty() {
            return Err(err("require 至少需要一组词".into()));
        }
        if r.spec.anchor >= r.spec.require.len() {
            return Err(err(format!(
                "anchor = {} 超出 require 的组数",
                r.spec.anchor
            )));
        }
        if !(0.0..=1.0).contains(&r.spec.confidence) {
            return Err(err("confidence 应在 0 到 1 之间".into()));
        }
        if r.spec.examples.flag.len() < 2 || r.spec.examples.pass.len() < 2 {
            return Err(err("examples.flag 和 examples.pass 各需至少 2 条".into()));
        }
        let mut groups = Vec::new();
        for (g, terms) in r.spec.require.iter().enumerate() {
            if terms.is_empty() {
                return Err(err(format!("require 第 {} 组为空", g + 1)));
            }
            groups.push(b.group(&r.spec.id, g, terms).map_err(&err)?);
        }
        let unless = if r.spec.unless.is_empty() {
            Vec::new()
        } else {
            b.group(&r.spec.id, usize::MAX, &r.spec.unless)
                .map_err(&err)?
        };
        compiled_rules.push(CompiledRule {
            legal_basis_gate: item.legal_basis_gate,
            spec: r.spec,
            groups,
            unless_in_lead_in: unless
                .iter()
                .copied()
                .filter(|l| reaching_items.contains(l))
                .collect(),
            unless,
        });
    }
    let common_chars: std::collections::HashSet<char> = lists
        .iter()
        .filter(|l| l.name == COMMON_CHARS)
        .flat_map(|l| l.list.terms.iter().flat_map(|t| t.chars()))
        .collect();
    let mut literal_terms = b.literal_terms;
    let mut literal_index = b.literal_index;
    let mut literal_gates = vec![Vec::new(); literal_terms.len()];
    let mut gate_sets = vec![0; b.patterns.len()];
    let mut gate_gaps = vec![Vec::new(); b.patterns.len()];
    let mut ungated = Vec::new();
    for (p, (re, _)) in b.patterns.iter().enumerate() {
        let Some(mut sets) =
            super::gate::required_literals(re.as_str(), |ch| common_chars.contains(&ch))
        else {
            ungated.push(p);
            continue;
        };
        // The first sets of a chain are still a valid gate.
        sets.truncate(64);
        gate_sets[p] = sets.len() as u32;
        gate_gaps[p] = sets.iter().map(|s| s.gap.unwrap_or(usize::MAX)).collect();
        for (set, need) in sets.iter().enumerate() {
            for lit in &need.literals {
                let k = *literal_index.entry(lit.clone()).or_insert_with(|| {
                    literal_terms.push((lit.clone(), Vec::new()));
                    literal_gates.push(Vec::new());
                    literal_terms.len() - 1
                });
                let gate = GateRef {
                    pattern: p as u32,
                    set: set as u32,
                };
                if !literal_gates[k].contains(&gate) {
                    literal_gates[k].push(gate);
                }
            }
        }
    }
    let literals = if literal_terms.is_empty() {
        None
    } else {
        Some(
            Automaton::new(literal_terms.iter().map(|(t, _)| t.as_str())).map_err(|e| {
                DataError::new(Path::new("dictionaries"), 1, format!("词条无法编译：{e}"))
            })?,
        )
    };
    let comma_free = b
        .patterns
        .iter()
        .map(|(re, _)| super::gate::never_matches(re.as_str(), '，'))
        .collect();
    Ok(Compiled {
        rules: compiled_rules,
        comma_free,
        list_count: b.list_names.len(),
        literals,
        literal_terms,
        literal_gates,
        gate_sets,
        gate_gaps,
        ungated,
        patterns: b.patterns,
        context,
        local,
        item_exemptions,
    })
}

/// Names of the lists rules refer to with `@name`.
fn referenced_lists(rules: &[SourcedRule]) -> std::collections::HashSet<&str> {
    rules
        .iter()
        .flat_map(|r| r.spec.require.iter().flatten().chain(r.spec.unless.iter()))
        .filter_map(|t| t.strip_prefix('@'))
        .collect()
}
