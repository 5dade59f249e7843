//! Ruled tables: horizontal and vertical rules that cross each other form a
//! grid; the rules a grid lacks inside it mark merged cells.

use std::collections::HashMap;

use super::content::Segment;

/// Slack (page units) when comparing positions of rules.
const SLACK: f32 = 2.0;
/// A rule differs from its axis by at most this much.
const AXIS: f32 = 1.0;
/// Shorter pieces are dots, dashes or glyph parts, not rules.
const MIN_RULE: f32 = 4.0;
/// Rules per direction above which a page is treated as a drawing.
const MAX_RULES: usize = 2_000;
/// Grid slots (rows × columns) above which a grid is ignored.
const MAX_SLOTS: usize = 10_000;
/// Tables per page at most; more grids than this are a drawing or a form
/// sheet, read as plain text.
const MAX_GRIDS: usize = 64;

/// A ruled table in the reading frame (y grows upwards).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Column boundaries, left to right.
    pub xs: Vec<f32>,
    /// Row boundaries, top to bottom.
    pub ys: Vec<f32>,
    /// Cell number of every slot, row by row; cells are numbered in reading
    /// order of their top-left slot.
    slots: Vec<usize>,
    pub cells: usize,
}

impl Grid {
    pub fn top(&self) -> f32 {
        self.ys.first().copied().unwrap_or(0.0)
    }

    pub fn bottom(&self) -> f32 {
        self.ys.last().copied().unwrap_or(0.0)
    }

    /// The row and column of each cell's top-left slot, by cell number: a
    /// merged cell sits where it starts, and the cells after it in its row
    /// count every grid column it spans.
    pub fn origins(&self) -> Vec<(u32, u32)> {
        let cols = self.xs.len().saturating_sub(1).max(1);
        let mut out = Vec::with_capacity(self.cells);
        for (slot, &id) in self.slots.iter().enumerate() {
            if id == out.len() {
                out.push(((slot / cols) as u32, (slot % cols) as u32));
            }
        }
        out
    }

    /// The cell holding a point, if the point is inside the table.
    pub fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let col = self.xs.windows(2).position(|w| x >= w[0] && x < w[1])?;
        let row = self.ys.windows(2).position(|w| y <= w[0] && y > w[1])?;
        let cols = self.xs.len() - 1;
        self.slots.get(row * cols + col).copied()
    }
}

#[derive(Debug, Clone, Copy)]
struct Rule {
    /// Position across the rule (y of a horizontal one, x of a vertical one).
    at: f32,
    from: f32,
    to: f32,
}

impl Rule {
    fn covers(&self, at: f32, along: f32) -> bool {
        (self.at - at).abs() <= SLACK && along >= self.from - SLACK && along <= self.to + SLACK
    }
}

/// Finds the ruled tables among a page's segments (already in the reading frame).
pub fn grids(segments: &[Segment]) -> Vec<Grid> {
    let mut horizontal = Vec::new();
    let mut vertical = Vec::new();
    for s in segments {
        let (dx, dy) = ((s.x1 - s.x0).abs(), (s.y1 - s.y0).abs());
        if dy <= AXIS && dx >= MIN_RULE {
            horizontal.push(Rule {
                at: (s.y0 + s.y1) / 2.0,
                from: s.x0.min(s.x1),
                to: s.x0.max(s.x1),
            });
        } else if dx <= AXIS && dy >= MIN_RULE {
            vertical.push(Rule {
                at: (s.x0 + s.x1) / 2.0,
                from: s.y0.min(s.y1),
                to: s.y0.max(s.y1),
            });
        }
    }
    let horizontal = merge_collinear(horizontal);
    let vertical = merge_collinear(vertical);
    if horizontal.len() < 2
        || vertical.len() < 2
        || horizontal.len() > MAX_RULES
        || vertical.len() > MAX_RULES
    {
        return Vec::new();
    }
    let found: Vec<Grid> = connected(&horizontal, &vertical)
        .into_iter()
        .filter_map(|(h, v)| grid(&h, &v))
        .collect();
    if found.len() > MAX_GRIDS {
        return Vec::new();
    }
    found
}

/// Joins pieces of one line drawn separately (cell by cell) into one rule.
fn merge_collinear(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Rule> = Vec::new();
    for r in rules {
        match out.last_mut() {
            Some(last) if (r.at - last.at).abs() <= AXIS && r.from <= last.to + SLACK => {
                last.to = last.to.max(r.to);
            }
            _ => out.push(r),
        }
    }
    out
}

fn crosses(h: &Rule, v: &Rule) -> bool {
    v.at >= h.from - SLACK && v.at <= h.to + SLACK && h.at >= v.from - SLACK && h.at <= v.to + SLACK
}

/// Groups rules that touch each other, directly or through other rules.
fn connected(horizontal: &[Rule], vertical: &[Rule]) -> Vec<(Vec<Rule>, Vec<Rule>)> {
    let n = horizontal.len();
    let mut parent: Vec<usize> = (0..n + vertical.len()).collect();
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            if crosses(h, v) {
                union(&mut parent, i, n + j);
            }
        }
    }
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<(Vec<Rule>, Vec<Rule>)> = Vec::new();
    for i in 0..parent.len() {
        let root = find(&mut parent, i);
        let pos = *index.entry(root).or_insert_with(|| {
            groups.push((Vec::new(), Vec::new()));
            groups.len() - 1
        });
        let Some(group) = groups.get_mut(pos) else {
            continue;
        };
        match (
            horizontal.get(i),
            i.checked_sub(n).and_then(|j| vertical.get(j)),
        ) {
            (Some(h), _) => group.0.push(*h),
            (None, Some(v)) => group.1.push(*v),
            _ => {}
        }
    }
    groups
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = grand;
        }
        i = p;
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if let Some(slot) = parent.get_mut(ra.max(rb)) {
        *slot = ra.min(rb);
    }
}

/// Positions of the rules, with near-equal ones counted once, plus the
/// extent of the crossing rules (a table without outer side rules still
/// ends where its horizontal rules end).
fn boundaries(rules: &[Rule], crossing: &[Rule]) -> Vec<f32> {
    let mut at: Vec<f32> = rules.iter().map(|r| r.at).collect();
    let from = crossing
        .iter()
        .map(|r| r.from)
        .fold(f32::INFINITY, f32::min);
    let to = crossing
        .iter()
        .map(|r| r.to)
        .fold(f32::NEG_INFINITY, f32::max);
    at.extend([from, to].into_iter().filter(|v| v.is_finite()));
    at.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in at {
        if out.last().is_none_or(|last| v - last > SLACK) {
            out.push(v);
        }
    }
    out
}

/// Builds one grid from connected rules; None when it is no table: fewer
/// than two rows or two columns of cells (a frame, a box around text).
fn grid(horizontal: &[Rule], vertical: &[Rule]) -> Option<Grid> {
    if horizontal.len() < 2 || vertical.len() < 2 {
        return None;
    }
    let xs = boundaries(vertical, horizontal);
    let mut ys = boundaries(horizontal, vertical);
    ys.reverse();
    let cols = xs.len().checked_sub(1).filter(|&c| c > 0)?;
    let rows = ys.len().checked_sub(1).filter(|&r| r > 0)?;
    if rows.checked_mul(cols)? > MAX_SLOTS {
        return None;
    }
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        let (top, bottom) = (ys.get(r)?, ys.get(r + 1)?);
        let mid_y = (top + bottom) / 2.0;
        for c in 0..cols {
            let (left, right) = (xs.get(c)?, xs.get(c + 1)?);
            let mid_x = (left + right) / 2.0;
            let slot = r * cols + c;
            if c + 1 < cols && !vertical.iter().any(|v| v.covers(*right, mid_y)) {
                union(&mut parent, slot, slot + 1);
            }
            if r + 1 < rows && !horizontal.iter().any(|h| h.covers(*bottom, mid_x)) {
                union(&mut parent, slot, slot + cols);
            }
        }
    }
    // Number cells by their first slot in row order.
    let mut number: Vec<Option<usize>> = vec![None; parent.len()];
    let mut slots = Vec::with_capacity(parent.len());
    let mut cells = 0;
    let mut cells_in_row = vec![0usize; rows];
    for slot in 0..parent.len() {
        let root = find(&mut parent, slot);
        let id = match number.get(root).copied().flatten() {
            Some(id) => id,
            None => {
                if let Some(n) = number.get_mut(root) {
                    *n = Some(cells);
                }
                if let Some(count) = cells_in_row.get_mut(slot / cols) {
                    *count += 1;
                }
                cells += 1;
                cells - 1
            }
        };
        slots.push(id);
    }
    let rows_with_cells = cells_in_row.iter().filter(|&&n| n > 0).count();
    let widest_row = cells_in_row.iter().copied().max().unwrap_or(0);
    (rows_with_cells >= 2 && widest_row >= 2).then_some(Grid {
        xs,
        ys,
        slots,
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Segment {
        Segment {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }

    fn v(x: f32, y0: f32, y1: f32) -> Segment {
        Segment {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    #[test]
    fn full_grid_numbers_cells_row_by_row() {
        let mut segs = vec![
            h(300.0, 0.0, 200.0),
            h(200.0, 0.0, 200.0),
            h(100.0, 0.0, 200.0),
        ];
        segs.extend([
            v(0.0, 100.0, 300.0),
            v(100.0, 100.0, 300.0),
            v(200.0, 100.0, 300.0),
        ]);
        let grids = grids(&segs);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!(g.cells, 4);
        assert_eq!(g.cell_at(50.0, 250.0), Some(0));
        assert_eq!(g.cell_at(150.0, 250.0), Some(1));
        assert_eq!(g.cell_at(50.0, 150.0), Some(2));
        assert_eq!(g.cell_at(150.0, 150.0), Some(3));
        assert_eq!(g.cell_at(250.0, 150.0), None);
    }

    #[test]
    fn missing_rules_merge_cells_and_pieces_join() {
        // The middle rule stops at the second row: its two cells are one.
        let segs = vec![
            h(300.0, 0.0, 100.0),
            h(300.0, 100.0, 200.0),
            h(200.0, 0.0, 200.0),
            h(100.0, 0.0, 200.0),
            v(0.0, 100.0, 300.0),
            v(100.0, 200.0, 300.0),
            v(200.0, 100.0, 300.0),
        ];
        let g = &grids(&segs)[0];
        assert_eq!(g.cells, 3);
        assert_eq!(g.cell_at(50.0, 150.0), g.cell_at(150.0, 150.0));
    }

    #[test]
    fn cell_origins_count_grid_columns_and_rows() {
        // Three columns; the top row's first two cells are one, the right
        // column's two cells are one.
        let segs = vec![
            h(300.0, 0.0, 300.0),
            h(200.0, 0.0, 200.0),
            h(100.0, 0.0, 300.0),
            v(0.0, 100.0, 300.0),
            v(100.0, 100.0, 200.0),
            v(200.0, 100.0, 300.0),
            v(300.0, 100.0, 300.0),
        ];
        let g = &grids(&segs)[0];
        assert_eq!(g.cells, 4);
        assert_eq!(g.origins(), [(0, 0), (0, 2), (1, 0), (1, 1)]);
        assert_eq!(g.cell_at(250.0, 150.0), Some(1));
    }

    #[test]
    fn frames_and_single_column_boxes_are_not_tables() {
        let frame = vec![
            h(800.0, 20.0, 580.0),
            h(20.0, 20.0, 580.0),
            v(20.0, 20.0, 800.0),
            v(580.0, 20.0, 800.0),
        ];
        assert!(grids(&frame).is_empty());
        let mut stacked = frame.clone();
        stacked.push(h(400.0, 20.0, 580.0));
        assert!(grids(&stacked).is_empty());
        let mut split = frame;
        split.push(v(300.0, 20.0, 800.0));
        assert!(grids(&split).is_empty(), "one row of two boxes");
    }
}
