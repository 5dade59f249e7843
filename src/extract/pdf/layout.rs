//! Reading order of one page: ruled tables are read cell by cell, runs of
//! rows split by the same vertical gaps are read column by column (text
//! columns) or row by row and cell by cell (tables drawn without rules),
//! and everything else line by line across the page as before.

use super::lines::{Line, Placed, baseline_rows, build_line, sort_for_reading};
use super::paragraphs::join;
use super::rules::Grid;
use crate::extract::CellPos;

mod bands;

use bands::{Band, BandKind};

/// A cell with more lines than this is a frame around text, not a table cell.
const MAX_CELL_LINES: usize = 24;
/// Pages with more rows than this are read across without column analysis.
const MAX_ROWS: usize = 600;

/// Lines of the page in reading order. `glyphs` are sorted by
/// [`sort_for_reading`].
pub fn arrange(glyphs: &[Placed], grids: &[Grid]) -> Vec<Line> {
    let tables = ruled_tables(glyphs, grids);
    let mut in_table = vec![false; glyphs.len()];
    for i in tables.iter().flat_map(|t| &t.members) {
        if let Some(flag) = in_table.get_mut(*i) {
            *flag = true;
        }
    }
    let flow: Vec<Placed> = glyphs
        .iter()
        .zip(&in_table)
        .filter(|(_, taken)| !**taken)
        .map(|(g, _)| *g)
        .collect();
    let rows = baseline_rows(&flow);
    let em = median_size(&flow);
    let spans: Vec<(f32, f32)> = tables.iter().map(|t| (t.top, t.bottom)).collect();
    let found = if rows.len() <= MAX_ROWS {
        bands::find(&rows, &spans, em)
    } else {
        Vec::new()
    };

    let mut out = Out::default();
    let mut pending = tables.iter().peekable();
    let mut found = found.into_iter().peekable();
    let mut i = 0;
    while let Some(row) = rows.get(i) {
        let top = row.first().map_or(0.0, |g| g.y);
        while let Some(t) = pending.next_if(|t| t.top >= top) {
            out.table(t);
        }
        match found.next_if(|b| b.first == i) {
            Some(band) => {
                let members = rows.get(band.first..=band.last).unwrap_or_default();
                out.band(&band, members);
                i = band.last + 1;
            }
            None => {
                out.lines.extend(build_line(row.clone()));
                i += 1;
            }
        }
    }
    for t in pending {
        out.table(t);
    }
    out.lines
}

/// The glyphs of one ruled table, cell by cell.
struct Table<'a> {
    top: f32,
    bottom: f32,
    cells: Vec<Vec<Placed<'a>>>,
    /// Row and grid column of each cell.
    origins: Vec<(u32, u32)>,
    /// Indices of the glyphs it holds.
    members: Vec<usize>,
}

/// Sorts glyphs into the cells of the grids; a grid whose cells would hold
/// whole pages of text is a decorative frame and is left out.
fn ruled_tables<'a>(glyphs: &[Placed<'a>], grids: &[Grid]) -> Vec<Table<'a>> {
    let mut tables: Vec<Table> = grids
        .iter()
        .map(|g| Table {
            top: g.top(),
            bottom: g.bottom(),
            cells: vec![Vec::new(); g.cells],
            origins: g.origins(),
            members: Vec::new(),
        })
        .collect();
    for (i, g) in glyphs.iter().enumerate() {
        let (cx, cy) = (g.x + g.advance / 2.0, g.y + 0.35 * g.size);
        let hit = grids
            .iter()
            .enumerate()
            .find_map(|(t, grid)| Some((t, grid.cell_at(cx, cy)?)));
        if let Some((t, c)) = hit
            && let Some(table) = tables.get_mut(t)
            && let Some(cell) = table.cells.get_mut(c)
        {
            cell.push(*g);
            table.members.push(i);
        }
    }
    tables.retain(|t| {
        !t.members.is_empty()
            && t.cells
                .iter()
                .all(|c| baseline_rows(c).len() <= MAX_CELL_LINES)
    });
    tables.sort_by(|a, b| b.top.total_cmp(&a.top));
    tables
}

fn median_size(glyphs: &[Placed]) -> f32 {
    let mut sizes: Vec<f32> = glyphs
        .iter()
        .filter(|g| !g.is_blank())
        .map(|g| g.size)
        .collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(10.0)
}

/// Lines collected in reading order, each column and cell its own region.
#[derive(Default)]
struct Out {
    lines: Vec<Line>,
    regions: u32,
    /// Tables of the page so far.
    tables: u32,
}

impl Out {
    fn next_region(&mut self) -> u32 {
        self.regions += 1;
        self.regions
    }

    fn next_table(&mut self) -> u32 {
        self.tables += 1;
        self.tables - 1
    }

    fn table(&mut self, t: &Table) {
        let table = self.next_table();
        for (cell, &(row, col)) in t.cells.iter().zip(&t.origins) {
            self.cell(cell.clone(), CellPos { table, row, col });
        }
    }

    /// One table cell as one line: its lines joined like wrapped text.
    fn cell(&mut self, mut glyphs: Vec<Placed>, pos: CellPos) {
        sort_for_reading(&mut glyphs);
        let mut lines = baseline_rows(&glyphs).into_iter().filter_map(build_line);
        let Some(mut cell) = lines.next() else {
            return;
        };
        for line in lines {
            join(&mut cell.text, &line.text);
            cell.x0 = cell.x0.min(line.x0);
            cell.x1 = cell.x1.max(line.x1);
        }
        cell.region = self.next_region();
        cell.cell = true;
        cell.pos = Some(pos);
        self.lines.push(cell);
    }

    fn band(&mut self, band: &Band, rows: &[Vec<Placed>]) {
        match &band.kind {
            BandKind::Columns(columns) => {
                for column in columns.split(rows.iter().flatten()) {
                    let mut glyphs = column;
                    sort_for_reading(&mut glyphs);
                    let region = self.next_region();
                    self.lines.extend(
                        baseline_rows(&glyphs)
                            .into_iter()
                            .filter_map(build_line)
                            .map(|l| Line { region, ..l }),
                    );
                }
            }
            BandKind::Table(columns, row_starts) => {
                let table = self.next_table();
                for (k, &start) in row_starts.iter().enumerate() {
                    let end = row_starts.get(k + 1).copied().unwrap_or(rows.len());
                    let members = rows.get(start..end).unwrap_or_default();
                    for (c, cell) in columns
                        .split(members.iter().flatten())
                        .into_iter()
                        .enumerate()
                    {
                        let (row, col) = (k as u32, c as u32);
                        self.cell(cell, CellPos { table, row, col });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell position as (table, row, col).
    type Pos = Option<(u32, u32, u32)>;

    /// Glyphs 10 units wide and tall, one row of text per `(text, x, y)`.
    fn glyphs(rows: &[(&'static str, f32, f32)]) -> Vec<Placed<'static>> {
        let mut out = Vec::new();
        for &(text, x, y) in rows {
            for (i, (at, c)) in text.char_indices().enumerate() {
                out.push(Placed {
                    x: x + i as f32 * 10.0,
                    y,
                    advance: 10.0,
                    size: 10.0,
                    text: &text[at..at + c.len_utf8()],
                });
            }
        }
        sort_for_reading(&mut out);
        out
    }

    fn read(rows: &[(&'static str, f32, f32)]) -> Vec<(String, u32)> {
        arrange(&glyphs(rows), &[])
            .into_iter()
            .map(|l| (l.text, l.region))
            .collect()
    }

    #[test]
    fn columns_with_their_own_baselines_are_read_in_turn() {
        let mut rows = vec![("关于公平竞争的规定", 105.0, 760.0)];
        let left = [
            "左栏第一行文字内容",
            "左栏第二行文字内容",
            "左栏第三行文字内容",
            "左栏第四行文字内容",
            "左栏第五行文字内容",
        ];
        let right = [
            "右栏第一行文字内容",
            "右栏第二行文字内容",
            "右栏第三行文字内容",
            "右栏第四行文字内容",
        ];
        for (i, t) in left.iter().enumerate() {
            rows.push((t, 50.0, 730.0 - 15.0 * i as f32));
        }
        for (i, t) in right.iter().enumerate() {
            rows.push((t, 170.0, 726.0 - 18.0 * i as f32));
        }
        // A short closing line set off below balanced columns is not theirs.
        rows.push(("特此通知。", 70.0, 640.0));
        rows.push(("全文结束的一行横跨两栏的文字", 50.0, 620.0));
        let lines = read(&rows);
        let texts: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
        let mut want = vec!["关于公平竞争的规定"];
        want.extend(left);
        want.extend(right);
        want.extend(["特此通知。", "全文结束的一行横跨两栏的文字"]);
        assert_eq!(texts, want);
        let regions: Vec<u32> = lines.iter().map(|l| l.1).collect();
        assert_eq!(regions, [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0]);
    }

    #[test]
    fn label_value_pairs_and_signatures_are_read_across() {
        let lines = read(&[
            ("本通知自印发之日起施行有效期三年", 50.0, 700.0),
            ("联系人：张三", 50.0, 680.0),
            ("电话：一二三四", 200.0, 680.0),
            ("联系人：李四", 50.0, 660.0),
            ("电话：五六七八", 200.0, 660.0),
            ("联系人：王五", 50.0, 640.0),
            ("电话：九十一二", 200.0, 640.0),
            ("某市市场监督管理局", 120.0, 600.0),
            ("二〇二五年一月二日", 120.0, 580.0),
        ]);
        let texts: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "本通知自印发之日起施行有效期三年",
                "联系人：张三 电话：一二三四",
                "联系人：李四 电话：五六七八",
                "联系人：王五 电话：九十一二",
                "某市市场监督管理局",
                "二〇二五年一月二日",
            ]
        );
        assert!(lines.iter().all(|l| l.1 == 0));
    }

    #[test]
    fn aligned_rows_of_three_columns_are_a_table() {
        let lines = arrange(
            &glyphs(&[
                ("序号", 50.0, 700.0),
                ("事项", 100.0, 700.0),
                ("时限", 250.0, 700.0),
                ("1", 50.0, 680.0),
                ("登记事项名称较长需要", 100.0, 680.0),
                ("三日", 250.0, 680.0),
                ("换行", 100.0, 668.0),
                ("2", 50.0, 648.0),
                ("备案", 100.0, 648.0),
                ("当场", 250.0, 648.0),
            ]),
            &[],
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "序号",
                "事项",
                "时限",
                "1",
                "登记事项名称较长需要换行",
                "三日",
                "2",
                "备案",
                "当场"
            ]
        );
        assert!(lines.iter().all(|l| l.cell));
    }

    #[test]
    fn unruled_table_cells_have_rows_and_columns() {
        let lines = arrange(
            &glyphs(&[
                ("序号", 50.0, 700.0),
                ("事项", 100.0, 700.0),
                ("时限", 250.0, 700.0),
                ("1", 50.0, 680.0),
                ("登记事项名称较长需要", 100.0, 680.0),
                ("三日", 250.0, 680.0),
                ("换行", 100.0, 668.0),
                ("2", 50.0, 648.0),
                ("当场", 250.0, 648.0),
            ]),
            &[],
        );
        let got: Vec<(&str, Pos)> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.pos.map(|p| (p.table, p.row, p.col))))
            .collect();
        assert_eq!(
            got,
            [
                ("序号", Some((0, 0, 0))),
                ("事项", Some((0, 0, 1))),
                ("时限", Some((0, 0, 2))),
                ("1", Some((0, 1, 0))),
                ("登记事项名称较长需要换行", Some((0, 1, 1))),
                ("三日", Some((0, 1, 2))),
                // An empty cell keeps its column: the next one is not moved left.
                ("2", Some((0, 2, 0))),
                ("当场", Some((0, 2, 2))),
            ]
        );
    }
}
