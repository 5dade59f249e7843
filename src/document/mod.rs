//! Document structure: metadata, clause tree and sentences over extracted text.
//!
//! Everything here is computed from [`Extracted`] alone; offsets are the
//! Unicode-scalar offsets of the text `fairscan extract` prints.

pub mod clauses;
pub mod lines;
pub mod meta;
pub mod numerals;
pub mod sentences;
pub mod tables;

use serde::Serialize;

use crate::extract::{Block, BlockKind, Extracted};
pub use clauses::{Clause, ClauseKind};
pub use meta::{Attachment, Meta};
pub use sentences::Sentence;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    #[serde(skip)]
    pub text: String,
    pub meta: Meta,
    pub blocks: Vec<Block>,
    pub clauses: Vec<Clause>,
    pub sentences: Vec<Sentence>,
    pub warnings: Vec<String>,
    /// Number of Unicode scalars in `text`.
    pub chars: usize,
    /// Per sentence, the lead-in of the list or table it is an item of.
    #[serde(skip)]
    lead_ins: Vec<Option<usize>>,
}

impl Document {
    pub fn from_extracted(ex: Extracted) -> Document {
        let lines = lines::lines(&ex.text);
        let chars = lines.last().map_or(0, |l| l.char_end());
        let (meta, bounds) = meta::read(&lines, &ex.hints);
        let clauses = clauses::build(&lines, bounds, chars);
        let mut sentences = Vec::new();
        for line in &lines {
            sentences::split_line(line, &mut sentences);
        }
        assign_clauses(&mut sentences, &clauses);
        drop(lines);
        let mut doc = Document {
            text: ex.text,
            meta,
            blocks: ex.blocks,
            clauses,
            sentences,
            warnings: ex.warnings,
            chars,
            lead_ins: Vec::new(),
        };
        doc.lead_ins = doc.find_lead_ins();
        doc
    }

    /// A document from plain text, one paragraph per line (rule examples,
    /// labeled clauses, pasted text).
    pub fn from_text(text: &str) -> Document {
        let mut b = crate::extract::text::TextBuilder::new();
        for (i, line) in text.lines().enumerate() {
            b.push(
                crate::extract::BlockKind::Paragraph,
                line,
                None,
                Some(i as u32),
            );
        }
        Document::from_extracted(b.finish())
    }

    /// The innermost clause containing a character offset.
    pub fn clause_at(&self, offset: usize) -> Option<usize> {
        innermost(&self.clauses, offset)
    }

    /// Cites a clause as a reviewer would: `附件1 第三条第（二）项`.
    pub fn citation(&self, clause: usize) -> String {
        let mut chain = Vec::new();
        let mut cur = Some(clause);
        while let Some(i) = cur {
            let Some(c) = self.clauses.get(i) else { break };
            chain.push(i);
            cur = c.parent;
        }
        chain.reverse();
        let mut attachment = String::new();
        let mut parts = String::new();
        let has_article = chain
            .iter()
            .any(|&i| self.clauses[i].kind == ClauseKind::Article);
        for (pos, &i) in chain.iter().enumerate() {
            let c = &self.clauses[i];
            let parent_kind = pos.checked_sub(1).map(|p| self.clauses[chain[p]].kind);
            match c.kind {
                ClauseKind::Attachment => attachment = c.label.clone(),
                ClauseKind::Chapter | ClauseKind::Section if has_article => {}
                ClauseKind::Chapter | ClauseKind::Section | ClauseKind::Article => {
                    parts.push_str(&c.label)
                }
                ClauseKind::CnItem => {
                    let unit = if c
                        .children
                        .iter()
                        .any(|&k| self.clauses[k].kind == ClauseKind::ParenCnItem)
                    {
                        "部分"
                    } else {
                        "条"
                    };
                    parts.push_str(&format!("第{}{unit}", numerals::to_chinese(c.number)));
                }
                ClauseKind::ParenCnItem => parts.push_str(&format!("第{}项", c.label)),
                ClauseKind::NumItem => {
                    let unit = if parent_kind == Some(ClauseKind::ParenCnItem) {
                        "目"
                    } else {
                        "项"
                    };
                    parts.push_str(&format!("第{}{unit}", c.number));
                }
                ClauseKind::ParenNumItem => parts.push_str(&c.label),
            }
        }
        match (attachment.is_empty(), parts.is_empty()) {
            (true, _) => parts,
            (false, true) => attachment,
            (false, false) => format!("{attachment} {parts}"),
        }
    }

    /// The block a character offset falls in.
    pub fn block_at(&self, offset: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.start <= offset);
        i.checked_sub(1).and_then(|i| self.blocks.get(i))
    }

    /// Whether sentence `si` ends in a colon: a lead-in to what follows
    /// (申报条件如下：, 不得含有下列内容：) or an addressee line.
    pub fn ends_with_colon(&self, si: usize) -> bool {
        self.sentence_text(&self.sentences[si])
            .trim_end()
            .ends_with(['：', ':'])
    }

    /// The lead-in of the list whose item sentence `si` is: the last sentence
    /// of the item's parent clause before the item, when it ends in a colon
    /// (对符合下列条件的企业给予支持：). An item alone often names no one. A
    /// table cell's lead-in is the sentence before the table
    /// (申报企业应当符合下表所列条件：).
    pub fn lead_in(&self, si: usize) -> Option<usize> {
        self.lead_ins.get(si).copied().flatten()
    }

    /// Every sentence's lead-in, in one pass (a long list or table must not
    /// make each item look back over all the others).
    fn find_lead_ins(&self) -> Vec<Option<usize>> {
        // Last sentence seen directly in each clause, and outside any table.
        let mut last_direct: Vec<Option<usize>> = vec![None; self.clauses.len()];
        let mut last_outside_table = None;
        let mut out = Vec::with_capacity(self.sentences.len());
        for (si, s) in self.sentences.iter().enumerate() {
            let lead = if self.is_cell(si) {
                last_outside_table
            } else {
                s.clause.and_then(|item| {
                    let parent = self.clauses[item].parent?;
                    last_direct[parent]
                        .filter(|&t| self.sentences[t].end <= self.clauses[item].start)
                })
            };
            out.push(lead.filter(|&i| self.ends_with_colon(i)));
            if let Some(c) = s.clause {
                last_direct[c] = Some(si);
            }
            if !self.is_cell(si) {
                last_outside_table = Some(si);
            }
        }
        out
    }

    fn is_cell(&self, si: usize) -> bool {
        self.blocks
            .get(self.sentences[si].block)
            .is_some_and(|b| b.kind == BlockKind::TableCell)
    }

    /// The sentence starting at character offset `start` (findings are
    /// sentence spans).
    pub fn sentence_starting_at(&self, start: usize) -> Option<usize> {
        let si = self.sentences.partition_point(|s| s.start < start);
        self.sentences
            .get(si)
            .is_some_and(|s| s.start == start)
            .then_some(si)
    }

    /// Whether sentence `si` is a line naming the document — its title, its
    /// issuer, an attachment's title, or an attachment note (附件：title) —
    /// rather than a measure: no terminal stop, and its words are a name.
    pub fn names_the_document(&self, si: usize) -> bool {
        let text = self.sentence_text(&self.sentences[si]).trim();
        if text.ends_with(sentences::is_terminal) {
            return false;
        }
        let bare = text.trim_end_matches(|c: char| !c.is_alphanumeric());
        let bare = bare
            .strip_prefix("附件")
            .map(|rest| {
                rest.trim_start_matches(|c: char| {
                    c.is_numeric() || matches!(c, '：' | ':' | ' ' | '　')
                })
            })
            .unwrap_or(bare);
        let meta = &self.meta;
        let mut names = meta
            .title
            .iter()
            .chain(&meta.issuer)
            .chain(meta.attachments.iter().filter_map(|a| a.title.as_ref()));
        !bare.is_empty() && names.any(|name| name.contains(bare))
    }

    /// Text of a sentence, sliced by its byte span.
    pub fn sentence_text(&self, s: &Sentence) -> &str {
        self.text.get(s.byte_start..s.byte_end).unwrap_or("")
    }

    /// Text of a Unicode-scalar span.
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect()
    }
}

fn innermost(clauses: &[Clause], offset: usize) -> Option<usize> {
    let k = clauses
        .partition_point(|c| c.start <= offset)
        .checked_sub(1)?;
    let mut cur = Some(k);
    while let Some(i) = cur {
        if clauses[i].end > offset {
            return Some(i);
        }
        cur = clauses[i].parent;
    }
    None
}

fn assign_clauses(sentences: &mut [Sentence], clauses: &[Clause]) {
    for s in sentences {
        s.clause = innermost(clauses, s.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{BlockKind, text::TextBuilder};

    fn doc(text: &str) -> Document {
        let mut b = TextBuilder::new();
        for (i, line) in text.lines().enumerate() {
            b.push(BlockKind::Paragraph, line, None, Some(i as u32));
        }
        Document::from_extracted(b.finish())
    }

    #[test]
    fn cites_like_a_reviewer() {
        let d = doc(
            "某市人民政府\n2024年1月2日\n附件1\n某某办法\n第三条 支持企业。\n（二）对在本地注册的企业给予奖励。\n1.细则一。\n附件2\n某某措施\n一、总体\n（一）目标。",
        );
        let sentence = d
            .sentences
            .iter()
            .find(|s| d.slice(s.start, s.end).contains("本地注册"))
            .unwrap();
        let clause = sentence.clause.unwrap();
        assert_eq!(d.citation(clause), "附件1 第三条第（二）项");
        assert_eq!(
            d.citation(d.clause_at(d.text.chars().count() - 2).unwrap()),
            "附件2 第一部分第（一）项"
        );
        let one = d.clauses.iter().position(|c| c.label == "1.").unwrap();
        assert_eq!(d.citation(one), "附件1 第三条第（二）项第1目");
        assert_eq!(d.block_at(sentence.start).unwrap().paragraph, Some(5));
    }

    /// A list item's lead-in is the colon sentence of its parent clause; a
    /// table cell's is the colon sentence before its table.
    #[test]
    fn list_items_and_table_cells_find_their_lead_in() {
        let mut b = TextBuilder::new();
        let lines: [(BlockKind, &str); 9] = [
            (
                BlockKind::Paragraph,
                "第二条 申请奖励的企业应当符合下列条件：",
            ),
            (BlockKind::Paragraph, "（一）依法登记注册；"),
            (BlockKind::Paragraph, "（二）上年度营业收入不低于500万元。"),
            (BlockKind::Paragraph, "第三条 加强管理。"),
            (BlockKind::Paragraph, "（一）建立台账。"),
            (BlockKind::Paragraph, "第四条 支持标准如下："),
            (BlockKind::TableCell, "类别"),
            (BlockKind::TableCell, "标准"),
            (BlockKind::TableCell, "按投资额的10%给予补助"),
        ];
        for (i, (kind, text)) in lines.iter().enumerate() {
            b.push(*kind, text, None, Some(i as u32));
        }
        let d = Document::from_extracted(b.finish());
        let text_of = |si: usize| d.sentence_text(&d.sentences[si]).to_string();
        let lead_of = |needle: &str| {
            let si = (0..d.sentences.len())
                .find(|&i| text_of(i).contains(needle))
                .unwrap();
            d.lead_in(si).map(text_of)
        };
        let list = Some("第二条 申请奖励的企业应当符合下列条件：".to_string());
        assert_eq!(lead_of("依法登记注册"), list);
        assert_eq!(lead_of("营业收入"), list);
        // No colon, no lead-in; and a lead-in never reaches the next article.
        assert_eq!(lead_of("建立台账"), None);
        let table = Some("第四条 支持标准如下：".to_string());
        assert_eq!(lead_of("类别"), table);
        assert_eq!(lead_of("10%"), table);
    }
}
