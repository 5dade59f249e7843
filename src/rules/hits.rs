//! Term hits in a document: one pass of the compiled matcher over the whole
//! text finds candidates; a candidate counts only where it falls on word
//! boundaries, and is marked with the sentence context that may cancel it
//! (prohibitions, quotations, scope statements). Both checks run lazily, per
//! sentence, only where a rule asks.

use std::cell::Cell;
use std::collections::HashMap;

use super::compile::{Compiled, GateRef, ListId, ListMatcher};
use crate::document::Document;
use crate::segment::{Segmenter, WordBoundaries};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub list: ListId,
    /// Unicode-scalar span in the document text.
    pub start: usize,
    pub end: usize,
    /// Byte span, to quote the term.
    pub byte_start: usize,
    pub byte_end: usize,
    pub sentence: usize,
    /// A prohibition or clean-up word earlier in the sentence governs this hit.
    pub negated: bool,
    /// Inside 《》 or “” — a title or a quotation, not the measure itself.
    pub quoted: bool,
    /// A local qualifier inside a scope statement (本办法适用于本市…).
    pub scope_statement: bool,
}

/// One term occurrence as stored, with every list the term belongs to:
/// positions fit in `u32` (texts are bounded far below 4 GB), which keeps
/// the per-match cost of dense texts low.
#[derive(Debug, Clone, Copy)]
struct Candidate<'c> {
    lists: &'c [ListId],
    start: u32,
    end: u32,
    byte_start: u32,
    byte_end: u32,
    sentence: u32,
}

impl Candidate<'_> {
    /// The occurrence as a hit of `list`; `local` is the list whose hits a
    /// scope statement neutralises.
    fn hit(self, list: ListId, flags: u8, local: ListId) -> Hit {
        Hit {
            list,
            start: self.start as usize,
            end: self.end as usize,
            byte_start: self.byte_start as usize,
            byte_end: self.byte_end as usize,
            sentence: self.sentence as usize,
            negated: flags & NEGATED != 0,
            quoted: flags & QUOTED != 0,
            scope_statement: flags & SCOPE != 0 && list == local,
        }
    }
}

/// What settling a sentence found out about a candidate.
const WORD: u8 = 1;
const NEGATED: u8 = 2;
const QUOTED: u8 = 4;
const SCOPE: u8 = 8;

fn flags_of(h: &Hit) -> u8 {
    WORD | if h.negated { NEGATED } else { 0 }
        | if h.quoted { QUOTED } else { 0 }
        | if h.scope_statement { SCOPE } else { 0 }
}

/// Term hits of one window of a document.
///
/// The automaton pass finds candidates cheaply; segmenting a sentence and
/// marking its context (prohibitions, quotations, scope statements) is the
/// expensive part, so it happens only for sentences a rule actually asks
/// about, once each. Most sentences of a document never need it.
pub struct Hits<'a> {
    c: &'a Compiled,
    doc: &'a Document,
    seg: &'a Segmenter,
    /// Every term occurrence in text order, and what its sentence said about
    /// it once settled.
    all: Vec<Candidate<'a>>,
    flags: Vec<Cell<u8>>,
    /// Per list id, `by_list[list_starts[id]..list_starts[id + 1]]`: (start,
    /// index into `all`) of its candidates, in text order.
    list_starts: Vec<u32>,
    by_list: Vec<(u32, u32)>,
    local: ListId,
    /// First sentence of the window; `settled[i]` is about sentence `first + i`.
    first: usize,
    settled: Vec<Cell<bool>>,
    binding: Vec<Cell<Option<bool>>>,
    /// Character ranges governed by a prohibiting lead-in (不得含有下列内容：).
    intros: std::cell::RefCell<Vec<(usize, usize)>>,
    /// Whether an engine list occurs in a stretch of the text, by (list
    /// name, stretch): many findings of one clause ask the same question.
    stretch_has: std::cell::RefCell<HashMap<(&'static str, usize, usize), bool>>,
}

impl<'a> Hits<'a> {
    /// Candidate hits inside the byte range `window` of the document text.
    pub fn find(
        c: &'a Compiled,
        doc: &'a Document,
        seg: &'a Segmenter,
        window: (usize, usize),
    ) -> Hits<'a> {
        let raw = raw_matches(c, doc, window);
        let first = doc.sentences.partition_point(|s| s.byte_end <= window.0);
        let last = doc.sentences.partition_point(|s| s.byte_start < window.1);
        let count = last.saturating_sub(first);
        let mut all = Vec::with_capacity(raw.len());
        // Sentences and character offsets advance with the matches, which
        // come in text order: no search, no recounting from the start.
        let mut si = first;
        let mut cursor: Option<(usize, usize)> = None;
        for (byte_start, byte_end, lists) in raw {
            while doc
                .sentences
                .get(si)
                .is_some_and(|s| s.byte_end <= byte_start)
            {
                si += 1;
            }
            let Some(s) = doc.sentences.get(si) else {
                break;
            };
            if byte_start < s.byte_start || byte_end > s.byte_end {
                continue;
            }
            let (base_byte, base_char) = match cursor {
                Some((b, ch)) if b >= s.byte_start && b <= byte_start => (b, ch),
                _ => (s.byte_start, s.start),
            };
            let start = base_char + doc.text[base_byte..byte_start].chars().count();
            cursor = Some((byte_start, start));
            let end = start + doc.text[byte_start..byte_end].chars().count();
            all.push(Candidate {
                lists,
                start: start as u32,
                end: end as u32,
                byte_start: byte_start as u32,
                byte_end: byte_end as u32,
                sentence: si as u32,
            });
        }
        let (list_starts, by_list) = index_by_list(c.list_count, &all);
        let hits = Hits {
            c,
            doc,
            seg,
            flags: vec![Cell::new(0); all.len()],
            all,
            list_starts,
            by_list,
            local: c.context["local"],
            first,
            settled: vec![Cell::new(false); count],
            binding: vec![Cell::new(None); count],
            intros: Default::default(),
            stretch_has: Default::default(),
        };
        hits.find_intros();
        hits
    }

    /// Settles, in text order, every sentence that may be a prohibiting
    /// lead-in, so that what it governs is known before any later sentence
    /// is settled.
    fn find_intros(&self) {
        let (negation, cleanup) = (self.c.context["negation"], self.c.context["cleanup"]);
        let mut candidates: Vec<usize> = [negation, cleanup]
            .iter()
            .flat_map(|&l| self.candidates(l))
            .map(|i| self.all[i].sentence as usize)
            .filter(|&si| self.doc.ends_with_colon(si))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for si in candidates {
            self.settle(si);
        }
    }

    /// Indices of the unchecked candidates of `list`, in text order.
    pub fn candidates(&self, list: ListId) -> impl Iterator<Item = usize> + '_ {
        self.of_list(list).iter().map(|&(_, i)| i as usize)
    }

    fn of_list(&self, list: ListId) -> &[(u32, u32)] {
        match (self.list_starts.get(list), self.list_starts.get(list + 1)) {
            (Some(&a), Some(&b)) => &self.by_list[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Candidate `i` as a hit of `list`, before its sentence is checked.
    pub fn candidate(&self, list: ListId, i: usize) -> Hit {
        self.all[i].hit(list, 0, self.local)
    }

    /// Candidate `i` as a checked hit of `list`, or `None` when it is not a
    /// word.
    pub fn checked(&self, list: ListId, i: usize) -> Option<Hit> {
        let c = self.all[i];
        self.settle(c.sentence as usize);
        let flags = self.flags[i].get();
        (flags & WORD != 0).then(|| c.hit(list, flags, self.local))
    }

    /// Whether any candidate of `list` starts in the character range
    /// `[from, to)` — a cheap test that never segments.
    pub fn any_candidate(&self, list: ListId, from: usize, to: usize) -> bool {
        let idx = self.index_range(list, from, to);
        !idx.is_empty()
    }

    fn index_range(&self, list: ListId, from: usize, to: usize) -> &[(u32, u32)] {
        let idx = self.of_list(list);
        let lo = idx.partition_point(|&(start, _)| (start as usize) < from);
        let hi = lo + idx[lo..].partition_point(|&(start, _)| (start as usize) < to);
        &idx[lo..hi]
    }

    /// Checked hits of `list` starting inside the character range `[from, to)`.
    pub fn in_range(&self, list: ListId, from: usize, to: usize) -> impl Iterator<Item = Hit> + '_ {
        self.index_range(list, from, to)
            .iter()
            .filter_map(move |&(_, i)| self.checked(list, i as usize))
    }

    pub fn in_sentence(&self, list: ListId, sentence: usize) -> impl Iterator<Item = Hit> + '_ {
        let s = &self.doc.sentences[sentence];
        self.in_range(list, s.start, s.end)
    }

    /// Whether the sentence is worded as binding (须, 应当, 方可 …).
    pub fn binding(&self, sentence: usize) -> bool {
        let Some(cell) = self.binding.get(sentence.wrapping_sub(self.first)) else {
            return self.binding_uncached(sentence);
        };
        if let Some(b) = cell.get() {
            return b;
        }
        let b = self.binding_uncached(sentence);
        cell.set(Some(b));
        b
    }

    /// Whether the engine list `name` occurs in the byte span `from..to` of
    /// the text, answered once per span.
    pub fn span_has(&self, name: &'static str, (from, to): (usize, usize)) -> bool {
        if let Some(&b) = self.stretch_has.borrow().get(&(name, from, to)) {
            return b;
        }
        let b = self.c.local[name].occurs_in(&self.doc.text[from..to]);
        self.stretch_has.borrow_mut().insert((name, from, to), b);
        b
    }

    fn binding_uncached(&self, sentence: usize) -> bool {
        let s = &self.doc.sentences[sentence];
        self.c.local["binding"].occurs_in(self.doc.sentence_text(s))
    }

    /// Segments a sentence once, keeps its candidates that are words and
    /// marks their context.
    fn settle(&self, si: usize) {
        let Some(flag) = self.settled.get(si.wrapping_sub(self.first)) else {
            return;
        };
        if flag.replace(true) {
            return;
        }
        let doc = self.doc;
        let s = &doc.sentences[si];
        let lo = self
            .all
            .partition_point(|h| (h.byte_start as usize) < s.byte_start);
        let hi = self
            .all
            .partition_point(|h| (h.byte_start as usize) < s.byte_end);
        if lo == hi {
            return;
        }
        let words = WordBoundaries::of_sentence(self.seg, doc.sentence_text(s), s.start);
        let mut group: Vec<Hit> = Vec::with_capacity(hi - lo);
        let mut kept: Vec<usize> = Vec::with_capacity(hi - lo);
        for i in lo..hi {
            let c = self.all[i];
            if on_word_boundaries(&words, c.start as usize, c.end as usize) {
                for &list in c.lists {
                    group.push(c.hit(list, 0, self.local));
                    kept.push(i);
                }
            }
        }
        if let Some(region) = mark_sentence(self.c, doc, si, &mut group) {
            self.intros.borrow_mut().push(region);
        }
        let intros = self.intros.borrow();
        for (i, mut h) in kept.into_iter().zip(group) {
            if intros.iter().any(|&(a, b)| h.start >= a && h.start < b) {
                h.negated = true;
            }
            // Context is the same for every list of one occurrence, except
            // the scope mark, which only its `local` hit carries.
            self.flags[i].set(self.flags[i].get() | flags_of(&h));
        }
    }
}

/// Candidates grouped by list, in two passes over one allocation: list `l`
/// owns `entries[starts[l]..starts[l + 1]]`, each (start, candidate index).
fn index_by_list(list_count: usize, all: &[Candidate]) -> (Vec<u32>, Vec<(u32, u32)>) {
    let mut starts = vec![0u32; list_count + 1];
    for c in all {
        for &l in c.lists {
            starts[l + 1] += 1;
        }
    }
    for l in 0..list_count {
        starts[l + 1] += starts[l];
    }
    let mut next = starts.clone();
    let mut entries = vec![(0u32, 0u32); starts[list_count] as usize];
    for (i, c) in all.iter().enumerate() {
        for &l in c.lists {
            entries[next[l] as usize] = (c.start, i as u32);
            next[l] += 1;
        }
    }
    (starts, entries)
}

/// Every term occurrence in the window, as (byte start, byte end, lists),
/// sorted by position.
fn raw_matches<'c>(c: &'c Compiled, doc: &Document, window: (usize, usize)) -> Vec<RawHit<'c>> {
    let (from, to) = window;
    let text = &doc.text[from..to];
    let mut raw: Vec<RawHit> = Vec::new();
    // Gated patterns whose every literal set occurs in one stretch of text:
    // the comma-delimited piece for patterns that never match a comma, the
    // sentence for the others.
    let mut stretches = Stretches::new(doc, window);
    let mut gates = GateTracker::new(c);
    if let Some(ac) = &c.literals {
        for (start, end, k) in ac.overlapping(text) {
            let (start, end, k) = (from + start, from + end, k as usize);
            let lists = &c.literal_terms[k].1;
            if !lists.is_empty() {
                raw.push((start, end, lists));
            }
            let opens = &c.literal_gates[k];
            if !opens.is_empty()
                && let Some((sentence, piece)) = stretches.of(start, end)
            {
                for &g in opens {
                    let span = if c.comma_free[g.pattern as usize] {
                        piece
                    } else {
                        sentence
                    };
                    gates.saw(span, g, start, end);
                }
            }
        }
    }
    // Automaton hits come in order of their end; terms are short, so each is
    // only a few places from its place in start order.
    nearly_sorted_by_start(&mut raw);
    let automaton_hits = raw.len();
    for &p in &c.ungated {
        let (re, lists) = &c.patterns[p];
        re.each_match(text, |start, end| {
            raw.push((from + start, from + end, lists))
        });
    }
    for ((span_start, span_end), p) in gates.open() {
        let (re, lists) = &c.patterns[p];
        re.each_match(&doc.text[span_start..span_end], |start, end| {
            raw.push((span_start + start, span_start + end, lists))
        });
    }
    let local = std::slice::from_ref(&c.context["local"]);
    for place in place_names(doc) {
        for at in memchr::memmem::find_iter(text.as_bytes(), place.as_bytes()) {
            let (at, end) = (from + at, from + at + place.len());
            if !names_an_organ(c, &doc.text[end..]) {
                raw.push((at, end, local));
            }
        }
    }
    raw[automaton_hits..].sort_unstable_by_key(|&(s, e, _)| (s, e));
    merge_sorted(raw, automaton_hits)
}

type RawHit<'c> = (usize, usize, &'c [ListId]);

/// Insertion sort by (start, end): linear for hits that are each only a few
/// places out of order.
fn nearly_sorted_by_start(raw: &mut [RawHit]) {
    for i in 1..raw.len() {
        let mut j = i;
        while j > 0 && (raw[j - 1].0, raw[j - 1].1) > (raw[i].0, raw[i].1) {
            j -= 1;
        }
        if j < i {
            raw[j..=i].rotate_right(1);
        }
    }
}

/// Merges the two sorted halves `raw[..mid]` and `raw[mid..]`.
fn merge_sorted(raw: Vec<RawHit>, mid: usize) -> Vec<RawHit> {
    if mid == raw.len() {
        return raw;
    }
    let (a, b) = raw.split_at(mid);
    let mut out = Vec::with_capacity(raw.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if (b[j].0, b[j].1) < (a[i].0, a[i].1) {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

const COMMA: &str = "，";

/// The sentence and comma-delimited piece holding each automaton hit. Hits
/// come in order of their end, so both are found by moving forward.
struct Stretches<'d> {
    doc: &'d Document,
    commas: Vec<usize>,
    /// First sentence ending at or after the last hit's end.
    sentence: usize,
    /// Commas before the last hit's end.
    comma: usize,
}

impl<'d> Stretches<'d> {
    fn new(doc: &'d Document, (from, to): (usize, usize)) -> Self {
        Stretches {
            doc,
            commas: memchr::memmem::find_iter(&doc.text.as_bytes()[from..to], COMMA.as_bytes())
                .map(|at| from + at)
                .collect(),
            sentence: doc.sentences.partition_point(|s| s.byte_end < from),
            comma: 0,
        }
    }

    /// The byte spans of the sentence wholly holding `start..end` and of its
    /// piece holding `start`; `None` when no sentence holds the hit.
    fn of(&mut self, start: usize, end: usize) -> Option<((usize, usize), (usize, usize))> {
        let sentences = &self.doc.sentences;
        while sentences
            .get(self.sentence)
            .is_some_and(|s| s.byte_end < end)
        {
            self.sentence += 1;
        }
        let s = sentences
            .get(self.sentence)
            .filter(|s| s.byte_start <= start)?;
        while self.commas.get(self.comma).is_some_and(|&c| c < end) {
            self.comma += 1;
        }
        // A hit may itself begin with a comma (，本地…): step back past it.
        let mut before = self.comma;
        while before > 0 && self.commas[before - 1] >= start {
            before -= 1;
        }
        let sentence = (s.byte_start, s.byte_end);
        let piece_start = before
            .checked_sub(1)
            .map(|j| self.commas[j] + COMMA.len())
            .filter(|&p| p > sentence.0)
            .unwrap_or(sentence.0);
        let piece_end = self
            .commas
            .get(before)
            .copied()
            .filter(|&c| c < sentence.1)
            .unwrap_or(sentence.1);
        Some((sentence, (piece_start, piece_end)))
    }
}

/// Which literal sets of each gated pattern the current stretch of text
/// holds, in the pattern's order; a pattern opens on a stretch once all its
/// sets are there one after another, each within its gap of the previous.
///
/// The sets of a pattern come from consecutive pieces of it, so a match holds
/// one literal of each set, each ending before the next begins and no further
/// away than the pieces between allow. Hits arrive in order of their end; for
/// each set the tracker keeps where the latest chain through it ends, which
/// is the best start for the next set. A gate may open where the pattern
/// then finds nothing, never the other way round.
struct GateTracker<'c> {
    c: &'c Compiled,
    /// Per pattern: the stretch last seen, and where its chain ends are kept.
    spans: Vec<(usize, usize)>,
    offsets: Vec<usize>,
    /// Per pattern and set: end of the latest chain through that set.
    ends: Vec<usize>,
    open: Vec<((usize, usize), usize)>,
}

const NO_CHAIN: usize = usize::MAX;

impl<'c> GateTracker<'c> {
    fn new(c: &'c Compiled) -> Self {
        let mut offsets = Vec::with_capacity(c.patterns.len() + 1);
        let mut total = 0;
        for &n in &c.gate_sets {
            offsets.push(total);
            total += n as usize;
        }
        offsets.push(total);
        GateTracker {
            c,
            spans: vec![(usize::MAX, 0); c.patterns.len()],
            offsets,
            ends: vec![NO_CHAIN; total],
            open: Vec::new(),
        }
    }

    /// A literal of set `gate.set` at `start..end` inside `span`.
    fn saw(&mut self, span: (usize, usize), gate: GateRef, start: usize, end: usize) {
        let p = gate.pattern as usize;
        let ends = &mut self.ends[self.offsets[p]..self.offsets[p + 1]];
        if self.spans[p] != span {
            self.spans[p] = span;
            ends.fill(NO_CHAIN);
        }
        let k = gate.set as usize;
        let last = ends.len() - 1;
        if ends[last] != NO_CHAIN {
            return; // already open here
        }
        let reaches = k == 0 || {
            let prev = ends[k - 1];
            // An overlapping chain end may hide an earlier one that fits:
            // let it through rather than risk a missed match.
            prev != NO_CHAIN && (prev > start || start - prev <= self.c.gate_gaps[p][k])
        };
        if !reaches {
            return;
        }
        ends[k] = end;
        if k == last {
            self.open.push((span, p));
        }
    }

    /// (stretch, pattern) pairs to run, each once.
    fn open(mut self) -> Vec<((usize, usize), usize)> {
        self.open.sort_unstable();
        self.open.dedup();
        self.open
    }
}

static PLACE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\p{Han}{1,7}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗)")
        .expect("valid regex")
});

/// The issuer's own places (青禾市, 澄江区): in its documents they mean "local".
pub(super) fn place_names(doc: &Document) -> Vec<String> {
    let mut names = Vec::new();
    let Some(issuer) = doc.meta.issuer.as_deref() else {
        return names;
    };
    for organ in issuer.split(['、', ' ']) {
        let mut rest = organ;
        while let Some(m) = PLACE.find(rest) {
            if m.as_str().chars().count() >= 2 && !names.iter().any(|n| n == m.as_str()) {
                names.push(m.as_str().to_string());
            }
            rest = &rest[m.end()..];
        }
    }
    names
}

/// Whether the text after a place name names an authority (青禾市财政局)
/// rather than a location: an organ word (list `organ`) before the next
/// punctuation.
fn names_an_organ(c: &Compiled, after: &str) -> bool {
    let head: String = after
        .chars()
        .take_while(|c| !matches!(c, '，' | '。' | '；' | '、' | '：' | '（' | '\n'))
        .take(12)
        .collect();
    c.local["organ"].occurs_in(&head)
}

/// A term counts only as words: whole words, or the beginning or the end of
/// one word (本地 in 本地企业, 奖励 in 贡献奖励) — never a piece cut across
/// words (本地 in 日本|地区).
fn on_word_boundaries(words: &WordBoundaries, start: usize, end: usize) -> bool {
    let (at_start, at_end) = (words.is_boundary(start), words.is_boundary(end));
    (at_start && at_end) || ((at_start || at_end) && !words.any_between(start, end))
}

/// How far after a prohibition word its governed action may start.
const NEGATION_REACH: usize = 2;

/// Whether the negation word `term` forbids a government action: the action
/// is part of the word (不指定, 不纳入) or follows it closely in `after`
/// (不得以…).
pub(super) fn forbids_action(action: &ListMatcher, term: &str, after: &str) -> bool {
    term.char_indices()
        .skip(1)
        .any(|(i, _)| action.starts(&term[i..]))
        || after
            .char_indices()
            .take(NEGATION_REACH + 1)
            .any(|(i, _)| action.starts(&after[i..]))
}

/// Marks the context of one sentence's hits (all words, in text order).
/// Returns the region the sentence governs when it is a prohibiting or
/// clean-up lead-in ending with a colon.
fn mark_sentence(
    c: &Compiled,
    doc: &Document,
    sentence: usize,
    group: &mut [Hit],
) -> Option<(usize, usize)> {
    let list = |name: &str| c.context[name];
    let (negation, cleanup, cleanup_after, party, scope, local) = (
        list("negation"),
        list("cleanup"),
        list("cleanup_after"),
        list("restricted_party"),
        list("scope_statement"),
        list("local"),
    );
    let action = &c.local["normative_action"];
    // A prohibition governs what follows it when it forbids a government
    // action (不得以…, 严禁设置…); clean-up verbs (清理, 废止 …) always do.
    let mut points: Vec<usize> = group
        .iter()
        .filter(|h| h.list == cleanup)
        .map(|h| h.start)
        .collect();
    for n in group.iter().filter(|h| h.list == negation) {
        let forbids_action = forbids_action(
            action,
            &doc.text[n.byte_start..n.byte_end],
            &doc.text[n.byte_end..],
        );
        // "外地企业不得……" restricts operators: that is the measure itself.
        let restricts_party = group.iter().any(|r| {
            r.list == party
                && r.end <= n.start
                && !doc.text[r.byte_end..n.byte_start].contains(['，', ',', '；'])
        });
        if forbids_action && !restricts_party {
            points.push(n.start);
        }
    }
    let first_point = points.into_iter().min();
    // "……的，一律予以纠正": what came before is what gets corrected.
    let corrected_before = group
        .iter()
        .filter(|h| h.list == cleanup_after)
        .map(|h| h.start)
        .max();
    let has_scope = group.iter().any(|h| h.list == scope);
    let quotes = quote_spans(doc, sentence);
    for h in group.iter_mut() {
        h.negated = first_point.is_some_and(|p| p < h.start)
            || corrected_before.is_some_and(|p| h.start < p);
        h.quoted = quotes.iter().any(|&(a, b)| a <= h.start && h.end <= b);
        h.scope_statement = has_scope && h.list == local;
    }
    (first_point.is_some() && doc.ends_with_colon(sentence)).then(|| listed_region(doc, sentence))
}

/// What a prohibiting or clean-up lead-in (重点清理含有下列内容的政策措施：,
/// 不得含有下列内容：) governs: the rest of its clause, or — outside any clause —
/// the numbered lines that follow it.
fn listed_region(doc: &Document, sentence: usize) -> (usize, usize) {
    let s = &doc.sentences[sentence];
    if let Some(c) = s.clause {
        return (s.end, doc.clauses[c].end);
    }
    let mut end = s.end;
    let mut block = s.block + 1;
    loop {
        let k = doc.sentences.partition_point(|t| t.block < block);
        let Some(first) = doc.sentences.get(k).filter(|t| t.block == block) else {
            break;
        };
        if crate::document::clauses::parse_label(doc.sentence_text(first)).is_none() {
            break;
        }
        end = doc.blocks.get(block).map_or(end, |b| b.end);
        block += 1;
    }
    (s.end, end)
}

/// Quotation marks around at most this many characters are emphasis or a
/// name (“白名单”企业, “零地价”), not a quotation of someone else's words.
const EMPHASIS_CHARS: usize = 10;

/// Character spans inside 《》 (titles), and inside “” or 「」 when long enough
/// to be a quotation, in one sentence.
fn quote_spans(doc: &Document, sentence: usize) -> Vec<(usize, usize)> {
    let s = &doc.sentences[sentence];
    let mut spans = Vec::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, ch) in doc.sentence_text(s).chars().enumerate() {
        let pos = s.start + i;
        match ch {
            '《' | '“' | '「' => open.push((ch, pos)),
            '》' | '”' | '」' => {
                let opener = match ch {
                    '》' => '《',
                    '”' => '“',
                    _ => '「',
                };
                if let Some(k) = open.iter().rposition(|&(c, _)| c == opener) {
                    let start = open[k].1;
                    if opener == '《' || pos - start - 1 > EMPHASIS_CHARS {
                        spans.push((start, pos + 1));
                    }
                    open.truncate(k);
                }
            }
            _ => {}
        }
    }
    spans
}
