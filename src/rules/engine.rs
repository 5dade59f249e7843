//! Rule evaluation: from hits to findings.
//!
//! A rule fires on an anchor hit when every other term group has a hit in the
//! rule's scope (sentence, clause or section). Prohibitions, quotations and
//! scope statements cancel hits; a legal basis or an Article 12 exception in
//! the clause turns an Article 10 finding into a prompt to verify.

use std::collections::HashMap;

use super::compile::{Compiled, CompiledRule};
use super::hits::{Hit, Hits};
use super::pack::{Modality, Negation, Scope};
use crate::document::{ClauseKind, Document};
use crate::review::{Finding, Level};
use crate::segment::Segmenter;

/// Most findings reported for one document; past this the document is
/// clearly not a policy text worth reading finding by finding.
pub const MAX_FINDINGS: usize = 5_000;

/// Findings of a document, and whether [`MAX_FINDINGS`] cut the list.
pub fn evaluate(c: &Compiled, doc: &Document, seg: &Segmenter) -> (Vec<Finding>, bool) {
    let mut findings: Vec<Finding> = Vec::new();
    // Hits keep 32-bit positions; extraction limits keep texts far smaller.
    if doc.text.len() >= u32::MAX as usize {
        return (findings, true);
    }
    // Windows never split a rule's scope, so each is evaluated on its own and
    // memory stays bounded by one window's hits, whatever the document size.
    for window in windows(doc) {
        let hits = Hits::find(c, doc, seg, window);
        let mut best: HashMap<(usize, u8, u8), Finding> = HashMap::new();
        for rule in &c.rules {
            for finding in fire(c, rule, doc, &hits) {
                let key = (finding.start, finding.article, finding.item);
                let better = best
                    .get(&key)
                    .is_none_or(|f| (finding.level, finding.confidence) > (f.level, f.confidence));
                if better {
                    best.insert(key, finding);
                }
            }
        }
        let mut found: Vec<Finding> = best
            .into_values()
            .filter(|f| !is_furniture(c, doc, f.start))
            .collect();
        found.sort_by_key(|f| (f.start, f.article, f.item));
        findings.extend(found);
        if findings.len() > MAX_FINDINGS {
            findings.truncate(MAX_FINDINGS);
            return (findings, true);
        }
    }
    (findings, false)
}

/// Whether the sentence starting at `start` names the document (its title,
/// an attachment note) or states why it was made (为……，制定本办法): neither
/// is a measure, whatever words they share with one.
fn is_furniture(c: &Compiled, doc: &Document, start: usize) -> bool {
    doc.sentence_starting_at(start).is_some_and(|si| {
        let body = without_label(doc.sentence_text(&doc.sentences[si])).trim_start();
        doc.names_the_document(si) || c.local["purpose_statement"].starts(body)
    })
}

/// A sentence's text after its own clause number (第三条, （二）), if any.
fn without_label(text: &str) -> &str {
    let text = text.trim_start();
    crate::document::clauses::parse_label(text)
        .and_then(|l| text.strip_prefix(l.label.as_str()))
        .unwrap_or(text)
}

fn usable(rule: &CompiledRule, h: &Hit) -> bool {
    !h.quoted && !h.scope_statement && (rule.spec.negation == Negation::Ignore || !h.negated)
}

fn fire(c: &Compiled, rule: &CompiledRule, doc: &Document, hits: &Hits) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut done_sentences = std::collections::HashSet::new();
    let anchor_lists = &rule.groups[rule.spec.anchor];
    for &list in anchor_lists {
        for i in hits.candidates(list) {
            let candidate = hits.candidate(list, i);
            if done_sentences.contains(&candidate.sentence)
                || !may_fire(rule, doc, hits, &candidate)
            {
                continue;
            }
            let Some(anchor) = hits.checked(list, i).filter(|h| usable(rule, h)) else {
                continue;
            };
            if let Some(f) = try_anchor(c, rule, doc, hits, &anchor) {
                done_sentences.insert(anchor.sentence);
                out.push(f);
            }
        }
    }
    out
}

/// Cheap conditions checked before any sentence is segmented: the modality
/// the rule needs, and a candidate of every other group in the rule's scope.
fn may_fire(rule: &CompiledRule, doc: &Document, hits: &Hits, anchor: &Hit) -> bool {
    if rule.spec.modality == Modality::Binding && !hits.binding(anchor.sentence) {
        return false;
    }
    let (from, to) = region(doc, anchor.sentence, rule.spec.scope);
    rule.groups.iter().enumerate().all(|(g, lists)| {
        g == rule.spec.anchor || lists.iter().any(|&l| hits.any_candidate(l, from, to))
    })
}

fn try_anchor(
    c: &Compiled,
    rule: &CompiledRule,
    doc: &Document,
    hits: &Hits,
    anchor: &Hit,
) -> Option<Finding> {
    let si = anchor.sentence;
    let sentence = &doc.sentences[si];
    // An exemption cancels the rule, unless a contrast (但, 不过) separates
    // it from a condition set after it: "……同等享受，但须迁入本区".
    let contrast = &c.local["contrast"];
    let overridden = |h: &Hit| {
        h.byte_end <= anchor.byte_start
            && contrast.occurs_in(&doc.text[h.byte_end..anchor.byte_start])
    };
    if rule
        .unless
        .iter()
        .any(|&l| hits.in_sentence(l, si).any(|h| !overridden(&h)))
    {
        return None;
    }
    if let Some(lead) = doc.lead_in(si)
        && rule
            .unless_in_lead_in
            .iter()
            .any(|&l| hits.in_sentence(l, lead).next().is_some())
    {
        return None;
    }
    let (from, to) = region(doc, si, rule.spec.scope);
    let mut evidence: Vec<Vec<Hit>> = vec![Vec::new(); rule.groups.len()];
    evidence[rule.spec.anchor].push(*anchor);
    for (g, lists) in rule.groups.iter().enumerate() {
        if g == rule.spec.anchor {
            continue;
        }
        let near_ok = |h: &Hit| {
            h.sentence != si
                || rule
                    .spec
                    .near
                    .is_none_or(|n| h.start.abs_diff(anchor.start) <= n)
        };
        let found: Vec<Hit> = lists
            .iter()
            .flat_map(|&l| hits.in_range(l, from, to))
            .filter(|h| usable(rule, h) && near_ok(h))
            .collect();
        if found.is_empty() {
            return None;
        }
        // Prefer evidence in the anchor sentence, then the closest.
        let mut found = found;
        found.sort_by_key(|h| (h.sentence != si, h.start.abs_diff(anchor.start)));
        evidence[g] = found.into_iter().take(2).collect();
    }
    let term = |h: &Hit| doc.text[h.byte_start..h.byte_end].to_string();
    let group_terms: Vec<Vec<String>> = evidence
        .iter()
        .map(|hs| dedup(hs.iter().map(&term).collect()))
        .collect();
    let all_terms = dedup(group_terms.iter().flatten().cloned().collect());

    let mut level = rule.spec.level;
    let mut confidence = rule.spec.confidence;
    let mut explanation = render(&rule.spec.explanation, &all_terms, &group_terms);
    let clause = clause_span(doc, si);
    let clause_has = |name: &'static str| hits.span_has(name, clause);
    if clause_has("exception_reason") && clause_has("time_limit") {
        level = Level::Suggestion;
        confidence *= 0.6;
        explanation = format!(
            "该条款列明了公共利益理由和实施期限，可能适用《公平竞争审查条例》第十二条的例外规定，请在审查结论中说明理由、必要性和期限。{explanation}"
        );
    } else if rule.legal_basis_gate && clause_has("legal_basis") {
        level = Level::Suggestion;
        confidence *= 0.6;
        explanation = format!(
            "需核实上位法依据：该条款援引了法律、行政法规或国务院批准的依据，若依据属实则不构成违反第十条的情形。{explanation}"
        );
    }
    let block = doc.blocks.get(sentence.block);
    Some(Finding {
        id: format!("{}@{}", rule.spec.id, sentence.start),
        rule: rule.spec.id.clone(),
        article: rule.spec.article,
        item: rule.spec.item,
        level,
        confidence: (confidence * 100.0).round() / 100.0,
        clause: cite(doc, si),
        start: sentence.start,
        end: sentence.end,
        page: block.and_then(|b| b.page),
        text: doc.sentence_text(sentence).to_string(),
        evidence: all_terms,
        explanation,
        suggestion: render(&rule.spec.suggestion, &[], &group_terms),
        ocr: block.is_some_and(|b| b.ocr.is_some()),
        similar: Vec::new(),
    })
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|t| seen.insert(t.clone()));
    v
}

fn render(template: &str, all: &[String], groups: &[Vec<String>]) -> String {
    let mut s = template.replace("{evidence}", &all.join("、"));
    for (i, g) in groups.iter().enumerate() {
        s = s.replace(&format!("{{g{i}}}"), &g.join("、"));
    }
    s
}

/// Largest scope, in characters. No real clause is longer; past it (a
/// one-line 50 MB file) a scope shrinks to the paragraph, then the sentence.
const MAX_SCOPE_CHARS: usize = 20_000;

/// Character range a rule may look in around sentence `si`.
pub(super) fn region(doc: &Document, si: usize, scope: Scope) -> (usize, usize) {
    let s = &doc.sentences[si];
    let fits = |r: (usize, usize)| r.1 - r.0 <= MAX_SCOPE_CHARS;
    let sentence = (s.start, s.end);
    let block = doc
        .blocks
        .get(s.block)
        .map(|b| (b.start, b.end))
        .filter(|&r| fits(r))
        .unwrap_or(sentence);
    let clause = s
        .clause
        .map(|c| &doc.clauses[c])
        .filter(|c| !is_container(c.kind))
        .map(|c| (c.start, c.end));
    let wanted = match scope {
        Scope::Sentence => return sentence,
        // A sentence directly under an attachment or chapter heading belongs
        // to no numbered clause: its own paragraph is its clause.
        Scope::Clause => clause,
        Scope::Section => s
            .clause
            .filter(|&c| !is_container(doc.clauses[c].kind))
            .map(|mut c| {
                while let Some(p) = doc.clauses[c].parent {
                    if is_container(doc.clauses[p].kind) {
                        break;
                    }
                    c = p;
                }
                (doc.clauses[c].start, doc.clauses[c].end)
            }),
    };
    wanted
        .filter(|&r| fits(r))
        .or(clause.filter(|&r| fits(r)))
        .unwrap_or(block)
}

/// Byte ranges of consecutive sentences that no rule scope crosses, each
/// about `WINDOW_CHARS` long (one scope may make a window longer).
fn windows(doc: &Document) -> Vec<(usize, usize)> {
    const WINDOW_CHARS: usize = 64 * 1024;
    let mut out = Vec::new();
    let Some(first) = doc.sentences.first() else {
        return out;
    };
    let (mut start_char, mut start_byte) = (first.start, first.byte_start);
    let mut reach = 0usize;
    for (i, s) in doc.sentences.iter().enumerate() {
        if i > 0 && s.start >= reach && s.start - start_char >= WINDOW_CHARS {
            out.push((start_byte, doc.sentences[i - 1].byte_end));
            (start_char, start_byte) = (s.start, s.byte_start);
        }
        reach = reach.max(region(doc, i, Scope::Section).1);
    }
    if let Some(last) = doc.sentences.last() {
        out.push((start_byte, last.byte_end));
    }
    out
}

/// The byte span of the clause holding sentence `si`.
fn clause_span(doc: &Document, si: usize) -> (usize, usize) {
    let (from, to) = region(doc, si, Scope::Clause);
    let first = doc.sentences.partition_point(|s| s.end <= from);
    let last = doc.sentences.partition_point(|s| s.start < to);
    match (
        doc.sentences.get(first),
        last.checked_sub(1).and_then(|l| doc.sentences.get(l)),
    ) {
        (Some(a), Some(b)) if a.byte_start <= b.byte_end => (a.byte_start, b.byte_end),
        _ => (0, 0),
    }
}

/// Headings that hold clauses rather than state a measure.
fn is_container(kind: ClauseKind) -> bool {
    matches!(
        kind,
        ClauseKind::Attachment | ClauseKind::Chapter | ClauseKind::Section
    )
}

/// Clause citation of a sentence, or its paragraph when it sits in no clause.
pub(super) fn cite(doc: &Document, si: usize) -> String {
    let s = &doc.sentences[si];
    match s.clause {
        Some(c) => doc.citation(c),
        None => match doc.blocks.get(s.block).and_then(|b| b.paragraph) {
            Some(p) => format!("正文第{}段", p + 1),
            None => "正文".to_string(),
        },
    }
}

/// Whether a sentence only speaks about measures: it opens by forbidding a
/// government action (不准对…, 各部门不得以…), clears up or reports problems
/// (清理…, 抽查发现的问题…), or ends by saying they were corrected
/// (…已被责令修改). For the second opinion, which reads sentences without
/// the term hits that rules cancel one by one.
pub fn speaks_about_measures(c: &Compiled, text: &str) -> bool {
    let body = without_label(text);
    let opening = body
        .find(['，', ',', '：', ':'])
        .map_or(body, |end| &body[..end]);
    let action = &c.local["normative_action"];
    // "网约车驾驶员不得……" restricts operators: that may be the measure.
    let forbids_action = c.local["negation"]
        .literal_spans(opening)
        .any(|(start, end)| {
            let subject = opening[..start].trim();
            (subject.is_empty() || c.local["government_subject"].occurs_in(subject))
                && super::hits::forbids_action(action, &opening[start..end], &body[end..])
        });
    forbids_action
        || c.local["cleanup"].occurs_in(&unquoted(opening))
        || c.local["cleanup_after"].occurs_in(text)
        || treats_all_alike(c, text)
}

/// Whether the sentence says operators are treated alike, with no contrast
/// (但, 不过) after that setting a condition of its own.
fn treats_all_alike(c: &Compiled, text: &str) -> bool {
    c.local["even_handed"]
        .spans(text)
        .map(|(_, end)| end)
        .max()
        .is_some_and(|end| !c.local["contrast"].occurs_in(&text[end..]))
}

/// Whether a lead-in exempts the items of its list (申请人才公寓应当同时符合
///下列条件：: the conditions are on persons, not operators).
pub fn lead_in_exempts_items(c: &Compiled, lead_in: &str) -> bool {
    c.item_exemptions.iter().any(|m| m.occurs_in(lead_in))
}

/// `text` without what stands inside “” (a quoted item is named, not said).
fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '“' => depth += 1,
            '”' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}
