//! Table rows read the way a reviewer reads them: each cell after the header
//! of its column ("产品类别：本市企业生产的产品；补贴比例：15%"). A cell alone
//! often names only a condition or only a benefit; its row says both.

use std::collections::HashMap;

use super::Document;
use crate::extract::CellPos;

/// A row's cells as (grid column, text).
type Cells = Vec<(u32, String)>;

/// A data row of a table whose first row is its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Sentences of the row's cells, in text order.
    pub sentences: Vec<usize>,
    /// `header：cell；header：cell…` (a cell without a header stands alone).
    pub reading: String,
}

impl Document {
    /// Data rows of every table whose cells carry their position, in text
    /// order. A table's header is its first row of cells.
    pub fn table_rows(&self) -> Vec<Row> {
        // Cells in text order: position, byte span (first to last sentence of
        // the block) and the sentences, one entry per block. Sentence byte
        // spans keep this linear in the size of the document.
        let mut cells: Vec<(CellPos, (usize, usize), Vec<usize>)> = Vec::new();
        let mut last_block = None;
        for (si, s) in self.sentences.iter().enumerate() {
            let Some(pos) = self.blocks.get(s.block).and_then(|b| b.cell) else {
                continue;
            };
            if last_block.replace(s.block) == Some(s.block)
                && let Some((_, span, sentences)) = cells.last_mut()
            {
                span.1 = s.byte_end;
                sentences.push(si);
            } else {
                cells.push((pos, (s.byte_start, s.byte_end), vec![si]));
            }
        }
        let text = |(start, end): (usize, usize)| self.text[start..end].trim();
        // Per table: its header row (the first row seen) and the header text
        // of each column.
        let mut headers: HashMap<u32, (u32, HashMap<u32, String>)> = HashMap::new();
        let mut rows: Vec<((u32, u32), Cells, Vec<usize>)> = Vec::new();
        for (pos, span, sentences) in cells {
            let (header_row, header) = headers
                .entry(pos.table)
                .or_insert_with(|| (pos.row, HashMap::new()));
            if pos.row == *header_row {
                header.entry(pos.col).or_default().push_str(text(span));
                continue;
            }
            let key = (pos.table, pos.row);
            if rows.last().is_none_or(|(k, _, _)| *k != key) {
                rows.push((key, Vec::new(), Vec::new()));
            }
            let (_, row_cells, row_sentences) = rows.last_mut().expect("pushed above");
            row_cells.push((pos.col, text(span).to_string()));
            row_sentences.extend(sentences);
        }
        rows.into_iter()
            .map(|((table, _), cells, sentences)| {
                let header = &headers[&table].1;
                let reading = cells
                    .iter()
                    .filter(|(_, text)| !text.is_empty())
                    .map(|(col, text)| match header.get(col) {
                        Some(h) if !h.is_empty() && h != text => format!("{h}：{text}"),
                        _ => text.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("；");
                Row { sentences, reading }
            })
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::extract::text::TextBuilder;
    use crate::extract::{BlockKind, CellPos};

    /// A table as extracted: a lead-in, a header row, two data rows (one cell
    /// spread over two paragraphs), then a paragraph outside the table.
    /// Without `positions` the cells do not say where they stand.
    pub(crate) fn table_document(rows: &[[&str; 3]], positions: bool) -> Document {
        let mut b = TextBuilder::new();
        b.push(BlockKind::Paragraph, "第四条 支持标准如下：", None, Some(0));
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                for part in cell.split('\n') {
                    let pos = CellPos {
                        table: 0,
                        row: r as u32,
                        col: c as u32,
                    };
                    let pos = positions.then_some(pos);
                    b.push_cell(BlockKind::TableCell, part, None, None, pos);
                }
            }
        }
        b.push(
            BlockKind::Paragraph,
            "第五条 本办法自印发之日起施行。",
            None,
            None,
        );
        Document::from_extracted(b.finish())
    }

    #[test]
    fn a_data_row_reads_each_cell_after_its_header() {
        let d = table_document(
            &[
                ["产品类别", "补贴比例", "单件上限"],
                ["本县企业生产的节能灶具", "20%", "800元"],
                ["其他节能灶具", "10%\n（按售价计）", "400元"],
            ],
            true,
        );
        let rows = d.table_rows();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(
            rows[0].reading,
            "产品类别：本县企业生产的节能灶具；补贴比例：20%；单件上限：800元"
        );
        assert_eq!(
            rows[1].reading,
            "产品类别：其他节能灶具；补贴比例：10%；补贴比例：（按售价计）；单件上限：400元"
        );
        let texts: Vec<&str> = rows[0]
            .sentences
            .iter()
            .map(|&si| d.sentence_text(&d.sentences[si]))
            .collect();
        assert_eq!(texts, ["本县企业生产的节能灶具", "20%", "800元"]);
        // Paragraphs outside the table and header cells belong to no row.
        let in_rows: usize = rows.iter().map(|r| r.sentences.len()).sum();
        assert_eq!(in_rows, 7);
    }
}
