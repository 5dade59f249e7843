//! Turns placements into byte edits of `document.xml`: comment range markers
//! and reference runs, splitting a run (and its `w:t`) where a sentence
//! begins or ends inside it. The split halves keep the run's start tag and
//! `w:rPr`, so formatting is unchanged. Everything else is copied as is.

use std::collections::BTreeMap;

use super::locate::{Cut, CutKind, Placement};
use super::scan::{BodyScan, MainNamespace};

/// Prefix used for inserted elements when the part puts the main namespace
/// in its default namespace (each inserted element then declares it).
const PRIVATE_PREFIX: &str = "fsw";
pub const TRANSITIONAL_MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// How inserted elements name the main namespace.
#[derive(Debug, Clone)]
pub struct Names {
    /// `w:` (with the colon), or the private prefix.
    prefix: String,
    /// ` xmlns:fsw="…"` when the part has no prefix for it.
    declaration: String,
}

impl Names {
    pub fn new(ns: &MainNamespace) -> Names {
        let prefix = if ns.prefix.is_empty() {
            String::new()
        } else {
            format!("{}:", ns.prefix)
        };
        Names::with_prefix(&prefix, ns.uri.as_deref().unwrap_or(TRANSITIONAL_MAIN))
    }

    /// `prefix` with its colon, empty when the part uses a default namespace.
    pub fn with_prefix(prefix: &str, uri: &str) -> Names {
        if prefix.is_empty() {
            Names {
                prefix: format!("{PRIVATE_PREFIX}:"),
                declaration: format!(
                    " xmlns:{PRIVATE_PREFIX}=\"{}\"",
                    quick_xml::escape::escape(uri)
                ),
            }
        } else {
            Names {
                prefix: prefix.to_string(),
                declaration: String::new(),
            }
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// An element name with its namespace declaration when one is needed.
    pub fn open(&self, local: &str) -> String {
        format!("<{}{local}{}", self.prefix, self.declaration)
    }

    fn attr(&self, local: &str, value: &str) -> String {
        format!(
            " {}{local}=\"{}\"",
            self.prefix,
            quick_xml::escape::escape(value)
        )
    }

    fn range_start(&self, id: u64) -> String {
        format!(
            "{}{}/>",
            self.open("commentRangeStart"),
            self.attr("id", &id.to_string())
        )
    }

    fn range_end(&self, id: u64) -> String {
        let id = id.to_string();
        format!(
            "{}{}/>{}><{p}commentReference{}/></{p}r>",
            self.open("commentRangeEnd"),
            self.attr("id", &id),
            self.open("r"),
            self.attr("id", &id),
            p = self.prefix
        )
    }
}

/// One comment to mark: its id and where it goes.
pub struct Mark<'a> {
    pub id: u64,
    pub placement: &'a Placement,
}

/// Markers waiting at one cut: ends first, so touching ranges stay apart.
#[derive(Default)]
struct Pending {
    ends: Vec<u64>,
    starts: Vec<u64>,
}

/// The edited part. `None` when a placement refers to something the scan
/// did not keep (the caller then anchors differently).
pub fn apply(source: &[u8], scan: &BodyScan, marks: &[Mark]) -> Option<Vec<u8>> {
    let names = Names::new(&scan.ns);
    let mut at: BTreeMap<Cut, Pending> = BTreeMap::new();
    for m in marks {
        let (start, end) = match m.placement {
            Placement::Exact { start, end } => (*start, *end),
            Placement::Paragraph { index, .. } => {
                let p = scan.paragraphs.get(index).filter(|p| p.own_prefix)?;
                let outside = |at| Cut {
                    at,
                    kind: CutKind::Outside,
                };
                (outside(p.content_start), outside(p.end_tag_start?))
            }
        };
        at.entry(start).or_default().starts.push(m.id);
        at.entry(end).or_default().ends.push(m.id);
    }
    // Edits as (position, end of replaced bytes, text); a replacement of a
    // `w:t` start tag sorts after an insertion at the same position.
    let mut edits: Vec<(usize, u8, usize, String)> = Vec::new();
    let mut preserved = std::collections::BTreeSet::new();
    for (cut, pending) in at {
        let mut markers = String::new();
        for id in pending.ends {
            markers.push_str(&names.range_end(id));
        }
        for id in pending.starts {
            markers.push_str(&names.range_start(id));
        }
        let text = match cut.kind {
            CutKind::Outside => markers,
            CutKind::InRun { run } => {
                let r = scan.runs.get(run)?;
                format!("</{}>{markers}{}", r.qname, reopen_run(source, r)?)
            }
            CutKind::InText { run, text } => {
                let r = scan.runs.get(run)?;
                let t = scan.texts.get(text)?;
                if !t.preserves_space && preserved.insert(text) {
                    let tag = source.get(t.start..t.start_tag_end)?;
                    edits.push((t.start, 1, t.start_tag_end, with_preserve(tag)?));
                }
                format!(
                    "</{tq}></{rq}>{markers}{}<{tq} xml:space=\"preserve\">",
                    reopen_run(source, r)?,
                    tq = t.qname,
                    rq = r.qname
                )
            }
        };
        edits.push((cut.at, 0, cut.at, text));
    }
    edits.sort_by_key(|e| (e.0, e.1));
    let extra: usize = edits.iter().map(|e| e.3.len()).sum();
    let mut out = Vec::with_capacity(source.len() + extra);
    let mut cursor = 0;
    for (pos, _, end, text) in edits {
        if pos < cursor || end < pos {
            return None;
        }
        out.extend_from_slice(source.get(cursor..pos)?);
        out.extend_from_slice(text.as_bytes());
        cursor = end;
    }
    out.extend_from_slice(source.get(cursor..)?);
    Some(out)
}

/// The start tag and `w:rPr` of a run, to open its second half.
fn reopen_run(source: &[u8], r: &super::scan::Run) -> Option<String> {
    let mut s = String::from_utf8_lossy(source.get(r.start..r.start_tag_end)?).into_owned();
    if let Some((a, b)) = r.rpr {
        s.push_str(&String::from_utf8_lossy(source.get(a..b)?));
    }
    Some(s)
}

/// `<w:t>` → `<w:t xml:space="preserve">`, so a split never loses the spaces
/// at its edges.
fn with_preserve(tag: &[u8]) -> Option<String> {
    let tag = std::str::from_utf8(tag).ok()?;
    let body = tag.strip_suffix('>')?;
    Some(format!("{body} xml:space=\"preserve\">"))
}
