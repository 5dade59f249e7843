//! Bands: runs of consecutive rows that the same vertical gaps split into
//! columns. Prose filling every column makes text columns; three or more
//! columns filled side by side on several rows make a table.

use super::Placed;

/// Text columns are at least this many ems wide.
const MIN_COLUMN_EMS: f32 = 8.0;
/// Text columns hold at least this many lines: fewer side-by-side lines are
/// label and value pairs or signatures, read across as before.
const MIN_COLUMN_LINES: usize = 4;
/// A column line ending this close (ems) to the column's right edge is full.
const FULL_LINE_EMS: f32 = 2.0;
/// Rows read before giving up on a band whose rows leave no gap.
const ROWS_WITHOUT_GAP: usize = 3;
/// Columns of one band at most.
const MAX_COLUMNS: usize = 24;

/// An x-range (left, right).
type Span = (f32, f32);

/// Rows `first..=last` of the page read as columns or as a table.
#[derive(Debug)]
pub struct Band {
    pub first: usize,
    pub last: usize,
    pub kind: BandKind,
}

#[derive(Debug)]
pub enum BandKind {
    /// Text columns, read one after the other.
    Columns(Columns),
    /// A table without rules, and the rows (relative to the band's first)
    /// where each of its rows starts.
    Table(Columns, Vec<usize>),
}

/// The x-ranges of a band's columns, left to right.
#[derive(Debug)]
pub struct Columns(Vec<Span>);

impl Columns {
    /// Deals glyphs out to the columns; a glyph in a gap goes to the nearer side.
    pub fn split<'a, 'b>(
        &self,
        glyphs: impl Iterator<Item = &'b Placed<'a>>,
    ) -> Vec<Vec<Placed<'a>>>
    where
        'a: 'b,
    {
        let mut out = vec![Vec::new(); self.0.len()];
        for g in glyphs {
            let center = g.x + g.advance / 2.0;
            let k = self
                .0
                .windows(2)
                .filter(|w| center > (w[0].1 + w[1].0) / 2.0)
                .count();
            if let Some(column) = out.get_mut(k) {
                column.push(*g);
            }
        }
        out
    }
}

/// A row's baseline and its runs of text, split wherever a gap of an em or
/// more separates two glyphs.
struct Shape {
    y: f32,
    runs: Vec<Span>,
}

fn shape(row: &[Placed], em: f32) -> Shape {
    let mut glyphs: Vec<&Placed> = row.iter().filter(|g| !g.is_blank()).collect();
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut runs: Vec<Span> = Vec::new();
    for g in glyphs {
        let (x0, x1) = (g.x, g.x + g.advance.max(0.0));
        match runs.last_mut() {
            Some(last) if x0 - last.1 < em => last.1 = last.1.max(x1),
            _ => runs.push((x0, x1)),
        }
    }
    Shape {
        y: row.first().map_or(0.0, |g| g.y),
        runs,
    }
}

/// Finds the bands among a page's rows (top to bottom). `tables` are the
/// vertical extents (top, bottom) of ruled tables, which no band crosses.
pub fn find(rows: &[Vec<Placed>], tables: &[Span], em: f32) -> Vec<Band> {
    let shapes: Vec<Shape> = rows.iter().map(|r| shape(r, em)).collect();
    let mut bands = Vec::new();
    let mut first = 0;
    while first < shapes.len() {
        let band = grow(&shapes, first, tables, em).and_then(|(last, columns)| {
            let rows = shapes.get(first..=last)?;
            let filled = fill(rows, &columns);
            let kind = classify(rows, &filled, columns, em)?;
            let tail = match kind {
                BandKind::Columns(_) => loose_tail(rows, &filled),
                BandKind::Table(..) => 0,
            };
            Some(Band {
                first,
                last: last - tail,
                kind,
            })
        });
        match band {
            Some(band) => {
                first = band.last + 1;
                bands.push(band);
            }
            None => first += 1,
        }
    }
    bands
}

/// Extends a band from row `first` while the gaps between its columns stay
/// open; returns its last row and its columns.
fn grow(shapes: &[Shape], first: usize, tables: &[Span], em: f32) -> Option<(usize, Vec<Span>)> {
    let mut columns = merged(&[], &shapes.get(first)?.runs, em);
    let mut last = first;
    while let (Some(cur), Some(next)) = (shapes.get(last), shapes.get(last + 1)) {
        if tables
            .iter()
            .any(|&(top, bottom)| top > next.y && bottom < cur.y)
        {
            break;
        }
        let grown = merged(&columns, &next.runs, em);
        let keeps = if columns.len() >= 2 {
            keeps_gaps(&columns, &grown)
        } else {
            last - first < ROWS_WITHOUT_GAP || grown.len() >= 2
        };
        if !keeps || grown.len() > MAX_COLUMNS {
            break;
        }
        columns = grown;
        last += 1;
    }
    (columns.len() >= 2 && last > first).then_some((last, columns))
}

/// The union of `columns` and `runs`, with ranges closer than an em merged.
fn merged(columns: &[Span], runs: &[Span], em: f32) -> Vec<Span> {
    let mut all: Vec<Span> = columns.iter().chain(runs).copied().collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<Span> = Vec::new();
    for (a, b) in all {
        match out.last_mut() {
            Some(last) if a - last.1 < em => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Every gap between the old columns is still (partly) open in the new ones.
fn keeps_gaps(old: &[Span], new: &[Span]) -> bool {
    old.windows(2).all(|w| {
        let (a, b) = (w[0].1, w[1].0);
        new.windows(2).any(|v| {
            let (c, d) = (v[0].1, v[1].0);
            d.min(b) > c.max(a)
        })
    })
}

/// What a band is, if anything: a table, text columns, or neither (a few
/// short lines beside a signature, say), which is read across as before.
/// The extent of each row's text in each column.
fn fill(shapes: &[Shape], columns: &[Span]) -> Vec<Vec<Option<Span>>> {
    shapes
        .iter()
        .map(|s| {
            let mut row: Vec<Option<Span>> = vec![None; columns.len()];
            for &(a, b) in &s.runs {
                let center = (a + b) / 2.0;
                let k = columns
                    .iter()
                    .position(|&(l, r)| center >= l && center <= r);
                if let Some(cell) = k.and_then(|k| row.get_mut(k)) {
                    *cell = Some(cell.map_or((a, b), |(l, r)| (l.min(a), r.max(b))));
                }
            }
            row
        })
        .collect()
}

fn classify(
    shapes: &[Shape],
    filled: &[Vec<Option<Span>>],
    columns: Vec<Span>,
    em: f32,
) -> Option<BandKind> {
    let rows_in = |k: usize| {
        filled
            .iter()
            .filter(move |r| matches!(r.get(k), Some(Some(_))))
    };
    let side_by_side = filled
        .iter()
        .filter(|r| r.iter().flatten().count() >= 2)
        .count();
    if columns.len() >= 3
        && side_by_side >= 3
        && (0..columns.len()).all(|k| rows_in(k).count() >= 2)
    {
        let starts = table_rows(shapes, filled);
        return Some(BandKind::Table(Columns(columns), starts));
    }

    // Text columns: wide, several lines each, mostly filled to the right
    // edge (wrapped prose), and side by side rather than one under the other.
    let mut heights: Vec<Span> = Vec::new();
    for (k, &(left, right)) in columns.iter().enumerate() {
        let lines: Vec<(f32, Span)> = shapes
            .iter()
            .zip(filled)
            .filter_map(|(s, r)| Some((s.y, (*r.get(k)?)?)))
            .collect();
        let full = lines
            .iter()
            .filter(|(_, (_, x1))| *x1 >= right - FULL_LINE_EMS * em)
            .count();
        if right - left < MIN_COLUMN_EMS * em
            || lines.len() < MIN_COLUMN_LINES
            || full * 2 < lines.len()
        {
            return None;
        }
        let top = lines.iter().map(|l| l.0).fold(f32::NEG_INFINITY, f32::max);
        let bottom = lines.iter().map(|l| l.0).fold(f32::INFINITY, f32::min);
        heights.push((bottom, top));
    }
    let side_by_side = heights.windows(2).all(|w| {
        let overlap = w[0].1.min(w[1].1) - w[0].0.max(w[1].0);
        let shorter = (w[0].1 - w[0].0).min(w[1].1 - w[1].0);
        overlap > 0.0 && overlap >= 0.5 * shorter
    });
    side_by_side.then_some(BandKind::Columns(Columns(columns)))
}

/// Rows at the foot of a band of balanced columns, set off by a wider step,
/// with text in one column only: a closing line across the page ("特此通知。")
/// that happens not to reach the gap. Returns how many there are.
fn loose_tail(shapes: &[Shape], filled: &[Vec<Option<Span>>]) -> usize {
    let single = |r: usize| filled.get(r).map_or(0, |f| f.iter().flatten().count()) == 1;
    let mut start = shapes.len();
    while start > 1 && single(start - 1) {
        start -= 1;
    }
    (start..shapes.len())
        .find(|&s| breaks_off(shapes, filled, s))
        .map_or(0, |s| shapes.len() - s)
}

/// Whether row `s` (text in one column) starts after a step wider than
/// that column's usual line spacing, below the ends of all other columns.
fn breaks_off(shapes: &[Shape], filled: &[Vec<Option<Span>>], s: usize) -> bool {
    let in_column =
        |r: usize, k: usize| matches!(filled.get(r).and_then(|f| f.get(k)), Some(Some(_)));
    let baselines = |k: usize| {
        (0..s)
            .filter(move |&r| in_column(r, k))
            .filter_map(|r| shapes.get(r).map(|row| row.y))
    };
    let Some(k) = filled
        .get(s)
        .and_then(|f| f.iter().position(Option::is_some))
    else {
        return false;
    };
    let ys: Vec<f32> = baselines(k).collect();
    let mut steps: Vec<f32> = ys.windows(2).map(|w| w[0] - w[1]).collect();
    steps.sort_by(f32::total_cmp);
    let (Some(&usual), Some(&above), Some(row)) =
        (steps.get(steps.len() / 2), ys.last(), shapes.get(s))
    else {
        return false;
    };
    let columns = filled.first().map_or(0, Vec::len);
    above - row.y > 1.4 * usual
        && (0..columns)
            .filter(|&c| c != k)
            .all(|c| baselines(c).fold(f32::INFINITY, f32::min) <= above + 1.5 * usual)
}

/// Where the rows of a table without rules start. When row spacing is
/// visibly wider than line spacing, a wide step starts a row; otherwise a
/// line with text in the first column does.
fn table_rows(shapes: &[Shape], filled: &[Vec<Option<Span>>]) -> Vec<usize> {
    let steps: Vec<f32> = shapes.windows(2).map(|w| w[0].y - w[1].y).collect();
    let tight = steps
        .iter()
        .copied()
        .filter(|s| *s > 0.0)
        .fold(f32::INFINITY, f32::min);
    let loose = steps.iter().copied().fold(0.0, f32::max);
    let spaced = tight.is_finite() && loose > 1.3 * tight;
    let mut starts = vec![0];
    for (k, step) in steps.iter().enumerate() {
        let row = k + 1;
        let new = if spaced {
            *step > 1.15 * tight
        } else {
            matches!(filled.get(row).and_then(|r| r.first()), Some(Some(_)))
        };
        if new {
            starts.push(row);
        }
    }
    starts
}
