//! Rule evaluation: from hits to findings.
//!
//! A rule fires on an anchor hit when every other term group has a hit in the
//! rule's scope (sentence, clause or section). Prohibitions, quotations and
//! scope statements cancel hits; a legal basis or an Article 12 exception in
//! the clause turns an Article 10 finding into a prompt to verify.

use std::collections::HashMap;

use super::compile::{Compiled, CompiledRule, ListId};
use super::hits::{Hit, Hits};
use super::pack::{Modality, Negation, Scope};
use crate::document::{ClauseKind, Document};
use crate::review::{Finding, Level};
use crate::segment::Segmenter;

pub fn evaluate(c: &Compiled, doc: &Document, seg: &Segmenter) -> Vec<Finding> {
    let hits = Hits::find(c, doc, seg);
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
    let mut findings: Vec<Finding> = best.into_values().collect();
    findings.sort_by_key(|f| (f.start, f.article, f.item));
    findings
}

fn usable(rule: &CompiledRule, h: &Hit) -> bool {
    !h.quoted && !h.scope_statement && (rule.spec.negation == Negation::Ignore || !h.negated)
}

fn fire(c: &Compiled, rule: &CompiledRule, doc: &Document, hits: &Hits) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut done_sentences = Vec::new();
    let anchor_lists = &rule.groups[rule.spec.anchor];
    for &list in anchor_lists {
        for anchor in hits.of_list(list).filter(|h| usable(rule, h)) {
            if done_sentences.contains(&anchor.sentence) {
                continue;
            }
            if let Some(f) = try_anchor(c, rule, doc, hits, anchor) {
                done_sentences.push(anchor.sentence);
                out.push(f);
            }
        }
    }
    out
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
    let in_sentence = |list: ListId| hits.in_sentence(list, doc, si);
    if rule.unless.iter().any(|&l| in_sentence(l).next().is_some()) {
        return None;
    }
    if rule.spec.modality == Modality::Binding && in_sentence(c.context["binding"]).next().is_none()
    {
        return None;
    }
    let (from, to) = region(doc, si, rule.spec.scope);
    let mut evidence: Vec<Vec<&Hit>> = vec![Vec::new(); rule.groups.len()];
    evidence[rule.spec.anchor].push(anchor);
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
        let found: Vec<&Hit> = lists
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
        .map(|hs| dedup(hs.iter().map(|h| term(h)).collect()))
        .collect();
    let all_terms = dedup(group_terms.iter().flatten().cloned().collect());

    let mut level = rule.spec.level;
    let mut confidence = rule.spec.confidence;
    let mut explanation = render(&rule.spec.explanation, &all_terms, &group_terms);
    let clause_text = clause_text(doc, si);
    let clause_has = |name: &str| c.local[name].occurs_in(clause_text);
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

/// Character range a rule may look in around sentence `si`.
fn region(doc: &Document, si: usize, scope: Scope) -> (usize, usize) {
    let s = &doc.sentences[si];
    let block = || {
        doc.blocks
            .get(s.block)
            .map_or((s.start, s.end), |b| (b.start, b.end))
    };
    match scope {
        Scope::Sentence => (s.start, s.end),
        // A sentence directly under an attachment or chapter heading belongs
        // to no numbered clause: its own paragraph is its clause.
        Scope::Clause => match s.clause.map(|c| &doc.clauses[c]) {
            Some(c) if !is_container(c.kind) => (c.start, c.end),
            _ => block(),
        },
        Scope::Section => {
            let Some(mut c) = s.clause else {
                return block();
            };
            if is_container(doc.clauses[c].kind) {
                return block();
            }
            while let Some(p) = doc.clauses[c].parent {
                if is_container(doc.clauses[p].kind) {
                    break;
                }
                c = p;
            }
            (doc.clauses[c].start, doc.clauses[c].end)
        }
    }
}

/// The text of a sentence's innermost clause (or its paragraph).
fn clause_text(doc: &Document, si: usize) -> &str {
    let (from, to) = region(doc, si, Scope::Clause);
    let first = doc.sentences.partition_point(|s| s.end <= from);
    let last = doc.sentences.partition_point(|s| s.start < to);
    match (
        doc.sentences.get(first),
        last.checked_sub(1).and_then(|l| doc.sentences.get(l)),
    ) {
        (Some(a), Some(b)) if a.byte_start <= b.byte_end => &doc.text[a.byte_start..b.byte_end],
        _ => "",
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
fn cite(doc: &Document, si: usize) -> String {
    let s = &doc.sentences[si];
    match s.clause {
        Some(c) => doc.citation(c),
        None => match doc.blocks.get(s.block).and_then(|b| b.paragraph) {
            Some(p) => format!("正文第{}段", p + 1),
            None => "正文".to_string(),
        },
    }
}
