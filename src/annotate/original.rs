//! Comments added to the original .docx: only the main document part, its
//! relationships, the content types and the comments part change; every
//! other part is copied byte for byte.

use std::collections::{HashMap, HashSet};

use quick_xml::escape::escape;

use crate::document::Document;
use crate::extract::archive::Archive;
use crate::extract::{Context, ExtractError};
use crate::review::Review;
use crate::rules::Standards;

use super::comment::{self, AUTHOR, INITIALS};
use super::locate::{self, Placement};
use super::mark::{self, Mark, Names};
use super::package::{self, SmallPart};
use super::scan;
use super::{Anchoring, Annotated};

use super::mark::TRANSITIONAL_MAIN as MAIN_TRANSITIONAL;

/// Annotates the original package. An error means the package cannot take
/// comments in place (the caller then writes a new document instead).
pub fn annotate(
    source: &[u8],
    doc: &Document,
    review: &Review,
    standards: &Standards,
    ctx: &Context,
) -> Result<Annotated, ExtractError> {
    let mut archive = Archive::open(source, ctx)?;
    let types_bytes = archive
        .read("[Content_Types].xml")?
        .ok_or_else(|| ExtractError::Corrupt("缺少 [Content_Types].xml".into()))?;
    let types = SmallPart::parse(&types_bytes, "[Content_Types].xml", ctx)?;
    let main = main_part(&mut archive, ctx)?;
    let document = archive
        .read(&main)?
        .ok_or_else(|| ExtractError::Corrupt(format!("缺少正文部件 {main}")))?;
    let (folder, rels_name) = package::folder_and_rels(&main);
    let rels_bytes = archive.read(&rels_name)?;
    let rels_part = match &rels_bytes {
        Some(b) => Some(SmallPart::parse(b, &rels_name, ctx)?),
        None => None,
    };
    let rels = rels_part
        .as_ref()
        .map(package::relationships)
        .unwrap_or_default();
    let existing_comments = rels
        .iter()
        .find(|r| !r.external && package::rel_kind(r) == "comments")
        .and_then(|r| package::resolve(folder, &r.target));
    let names: HashSet<String> = archive.names().into_iter().collect();
    let comments_bytes = match &existing_comments {
        Some(name) => archive.read(name)?,
        None => None,
    };
    drop(archive);

    // Where each finding goes.
    let wanted: Vec<_> = review
        .findings
        .iter()
        .map(|f| locate::wanted(doc, f))
        .collect();
    let fallback = locate::first_body_paragraph(doc);
    let indexes: HashSet<u32> = wanted
        .iter()
        .filter_map(|w| w.paragraph)
        .chain([fallback])
        .collect();
    let scan = scan::scan_body(&document, &main, ctx, &|i| indexes.contains(&i))?;
    let mut placements: Vec<Placement> = wanted
        .iter()
        .map(|w| locate::place(&scan, w, fallback))
        .collect();

    let comments_part = match &comments_bytes {
        Some(b) => Some(SmallPart::parse(
            b,
            existing_comments.as_deref().unwrap_or(""),
            ctx,
        )?),
        None => None,
    };
    let first_id = next_comment_id(scan.max_comment_id, comments_part.as_ref());
    let ids: Vec<u64> = (0..placements.len() as u64).map(|i| first_id + i).collect();

    let mut edited = mark_all(&document, &scan, &ids, &placements);
    if edited.is_none() {
        // Should never happen; anchoring every comment on its paragraph is
        // the simplest edit there is.
        placements = placements
            .into_iter()
            .zip(&wanted)
            .map(|(p, w)| match p {
                Placement::Exact { .. } => Placement::Paragraph {
                    index: w.paragraph.unwrap_or(fallback),
                    note: "未能精确定位该句，批注附于整段。".into(),
                },
                other => other,
            })
            .collect();
        edited = mark_all(&document, &scan, &ids, &placements);
    }
    let edited =
        edited.ok_or_else(|| ExtractError::Corrupt("无法在原文件的正文中放置批注".into()))?;

    let uri = scan.ns.uri.as_deref().unwrap_or(MAIN_TRANSITIONAL);
    let date = crate::clock::now_utc();
    let mut replace = HashMap::new();
    let mut add = Vec::new();
    replace.insert(main.clone(), edited);

    let comments_name = match (&existing_comments, &comments_bytes, &comments_part) {
        (Some(name), Some(bytes), Some(part)) => {
            let names = Names::with_prefix(&part.prefix, uri);
            let xml = comments_xml(&names, review, standards, &placements, &ids, &date);
            let grown = part
                .append(bytes, &xml)
                .ok_or_else(|| ExtractError::Corrupt(format!("{name} 无法追加批注")))?;
            replace.insert(name.clone(), grown);
            name.clone()
        }
        _ => {
            let name = free_name(&names, folder);
            let names = Names::with_prefix("w:", uri);
            let xml = comments_xml(&names, review, standards, &placements, &ids, &date);
            let part = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:comments xmlns:w=\"{}\">{xml}</w:comments>",
                escape(uri)
            );
            add.push((name.clone(), part.into_bytes()));
            name
        }
    };

    if existing_comments.is_none() {
        let id = package::free_rel_id(&rels);
        let kind = package::rel_type(&rels, "comments");
        let target = package::relative_to(folder, &comments_name);
        match (&rels_bytes, &rels_part) {
            (Some(bytes), Some(part)) => {
                let child = package::relationship(&part.prefix, &id, &kind, &target);
                let grown = part
                    .append(bytes, &child)
                    .ok_or_else(|| ExtractError::Corrupt(format!("{rels_name} 无法追加关系")))?;
                replace.insert(rels_name.clone(), grown);
            }
            _ => add.push((rels_name.clone(), package::new_rels(&id, &kind, &target))),
        }
    }
    let types_new = package::with_override(
        &types_bytes,
        &types,
        &comments_name,
        package::COMMENTS_CONTENT_TYPE,
    )
    .ok_or_else(|| ExtractError::Corrupt("[Content_Types].xml 无法追加内容类型".into()))?;
    if types_new != types_bytes {
        replace.insert("[Content_Types].xml".into(), types_new);
    }

    let bytes = package::rewrite(source, ctx, &replace, &add)?;
    let anchoring = placements
        .iter()
        .map(|p| match p {
            Placement::Exact { .. } => Anchoring::Sentence,
            Placement::Paragraph { note, .. } => Anchoring::Paragraph(note.clone()),
        })
        .collect();
    Ok(Annotated {
        bytes,
        original: true,
        anchoring,
    })
}

fn mark_all(
    document: &[u8],
    scan: &scan::BodyScan,
    ids: &[u64],
    placements: &[Placement],
) -> Option<Vec<u8>> {
    let marks: Vec<Mark> = ids
        .iter()
        .zip(placements)
        .map(|(&id, placement)| Mark { id, placement })
        .collect();
    let edited = mark::apply(document, scan, &marks)?;
    package::well_formed(&edited).then_some(edited)
}

/// The main document part named by the package relationships.
fn main_part(archive: &mut Archive, ctx: &Context) -> Result<String, ExtractError> {
    if let Some(bytes) = archive.read("_rels/.rels")? {
        let part = SmallPart::parse(&bytes, "_rels/.rels", ctx)?;
        let main = package::relationships(&part)
            .into_iter()
            .find(|r| !r.external && package::rel_kind(r) == "officeDocument")
            .and_then(|r| package::resolve("", &r.target));
        if let Some(main) = main {
            return Ok(main);
        }
    }
    Ok("word/document.xml".into())
}

fn next_comment_id(in_document: Option<u64>, comments: Option<&SmallPart>) -> u64 {
    let in_part = comments.and_then(|c| {
        c.values("comment", "id")
            .filter_map(|v| v.trim().parse::<u64>().ok())
            .max()
    });
    match in_document.max(in_part) {
        Some(m) => m.saturating_add(1),
        None => 0,
    }
}

/// `word/comments.xml`, or a numbered name if that one is taken.
fn free_name(names: &HashSet<String>, folder: &str) -> String {
    let base = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let mut name = format!("{base}comments.xml");
    let mut n = 1;
    while names.contains(&name) {
        name = format!("{base}comments{n}.xml");
        n += 1;
    }
    name
}

/// The `w:comment` elements for every finding.
fn comments_xml(
    names: &Names,
    review: &Review,
    standards: &Standards,
    placements: &[Placement],
    ids: &[u64],
    date: &str,
) -> String {
    let p = names.prefix();
    let mut xml = String::new();
    for ((f, placement), id) in review.findings.iter().zip(placements).zip(ids) {
        let note = match placement {
            Placement::Exact { .. } => None,
            Placement::Paragraph { note, .. } => Some(note.as_str()),
        };
        xml.push_str(&format!(
            "{} {p}id=\"{id}\" {p}author=\"{AUTHOR}\" {p}date=\"{date}\" {p}initials=\"{INITIALS}\">",
            names.open("comment")
        ));
        for (i, line) in comment::paragraphs(f, standards, note).iter().enumerate() {
            let text = escape(comment::xml_safe(line)).into_owned();
            let (reference, bold) = if i == 0 {
                (
                    format!("<{p}r><{p}annotationRef/></{p}r>"),
                    format!("<{p}rPr><{p}b/></{p}rPr>"),
                )
            } else {
                (String::new(), String::new())
            };
            xml.push_str(&format!(
                "<{p}p>{reference}<{p}r>{bold}<{p}t xml:space=\"preserve\">{text}</{p}t></{p}r></{p}p>"
            ));
        }
        xml.push_str(&format!("</{p}comment>"));
    }
    xml
}
