//! Annotating small .docx packages built in memory: the sentence a finding
//! names must be exactly what the comment range encloses, whatever the runs
//! look like, and nothing else in the package may change.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Anchoring, annotate};
use crate::document::Document;
use crate::extract::{self, Format};
use crate::limits::Limits;
use crate::review::Review;
use crate::rules::RuleSet;
use crate::segment::Segmenter;

const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#
);
const FLAGGED: &str = "对新引进的总部企业，按其形成的地方财政贡献的50%给予奖励。";

fn zip(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn numbering() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    )
}

/// A package whose runs make locating hard: list labels only in numbering,
/// a sentence spread over formatted runs and a field, tabs, a deletion, a
/// hyperlink, a table, and a text box with a fallback copy.
fn tricky_docx(extra_parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let num = r#"<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>"#;
    let text_box = |t: &str| {
        format!(r#"<w:r><w:txbxContent><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:txbxContent></w:r>"#)
    };
    let body = [
        "<w:p><w:r><w:t>关于支持总部经济发展的若干措施</w:t></w:r></w:p>".to_string(),
        format!(
            r#"<w:p>{num}<w:r><w:t>支持总部落户。</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">对新引进的</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>总部企业</w:t></w:r></w:hyperlink><w:r><w:t>，按其形成的</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DOCPROPERTY 说法 </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>地方财政贡献</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>的50%给予奖励。其后一句。</w:t></w:r></w:p>"#
        ),
        format!(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:rPr><w:sz w:val="21"/></w:rPr><w:t>附表说明。</w:t><w:tab/><w:t>{FLAGGED}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
        ),
        format!(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
            text_box("文本框内容。"),
            text_box("文本框内容。")
        ),
        format!(
            r#"<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>已删除。</w:delText></w:r></w:del><w:r><w:t xml:space="preserve">前文。 {FLAGGED}后文。</w:t></w:r></w:p>"#
        ),
        format!(r#"<w:p>{num}<w:r><w:t>{FLAGGED}</w:t></w:r></w:p>"#),
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>"#.to_string(),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    );
    let mut parts = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec(),
        ),
        ("word/document.xml", document.into_bytes()),
        (
            "word/_rels/document.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/></Relationships>"#.to_vec(),
        ),
        ("word/numbering.xml", numbering().into_bytes()),
        ("word/media/image1.png", vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3]),
    ];
    parts.extend(extra_parts.iter().cloned());
    zip(&parts)
}

fn review_of(bytes: &[u8], name: &str) -> (Review, Document, Format) {
    let limits = Limits::default();
    let (format, extracted) = extract::extract_bytes(bytes, name, &limits);
    let doc = Document::from_extracted(extracted.unwrap());
    let mut review = Review::of_document(name.into(), format, String::new(), &doc);
    review.findings = RuleSet::embedded().evaluate(&doc, Segmenter::global());
    (review, doc, format)
}

/// Text enclosed by each comment range (by id), read as the extractor reads text.
fn anchored_texts(document_xml: &[u8]) -> HashMap<String, String> {
    let mut reader = Reader::from_reader(document_xml);
    reader.config_mut().trim_text(false);
    let mut open: Vec<String> = Vec::new();
    let mut out: HashMap<String, String> = HashMap::new();
    let mut in_text = false;
    let mut skip = 0usize;
    let id =
        |e: &quick_xml::events::BytesStart| crate::extract::xml::attr(e, "id").unwrap_or_default();
    let push = |open: &[String], s: &str, out: &mut HashMap<String, String>| {
        for i in open {
            out.entry(i.clone()).or_default().push_str(s);
        }
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "Fallback" | "del" | "instrText" => skip += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "Fallback" | "del" | "instrText" => skip -= 1,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "commentRangeStart" => {
                    let i = id(&e);
                    out.entry(i.clone()).or_default();
                    open.push(i);
                }
                "commentRangeEnd" => {
                    let i = id(&e);
                    open.retain(|o| *o != i);
                }
                "tab" if skip == 0 => push(&open, " ", &mut out),
                _ => {}
            },
            Event::Text(t) if in_text && skip == 0 => push(&open, &t.xml10_content(), &mut out),
            Event::GeneralRef(r) if in_text && skip == 0 => {
                let c = crate::annotate::resolve_ref(&r).unwrap_or('?');
                push(&open, &c.to_string(), &mut out)
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn well_formed_parts(parts: &[(String, Vec<u8>)]) {
    for (name, data) in parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert!(
                super::package::well_formed(data),
                "{name} is not well-formed:\n{}",
                String::from_utf8_lossy(data)
            );
        }
    }
}

#[test]
fn comments_enclose_exactly_the_flagged_sentences() {
    let source = tricky_docx(&[]);
    let (review, doc, format) = review_of(&source, "措施.docx");
    assert_eq!(format, Format::Docx);
    assert_eq!(review.findings.len(), 4, "{:#?}", review.findings);
    let (annotated, warnings) = annotate(
        &source,
        format,
        "措施.docx",
        &doc,
        &review,
        &RuleSet::embedded().standards,
        &Limits::default(),
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(annotated.original);
    assert!(
        annotated
            .anchoring
            .iter()
            .all(|a| *a == Anchoring::Sentence),
        "{:?}",
        annotated.anchoring
    );

    let before = unzip(&source);
    let after = unzip(&annotated.bytes);
    well_formed_parts(&after);
    let get = |parts: &[(String, Vec<u8>)], n: &str| {
        parts
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, d)| d.clone())
    };
    for (name, data) in &before {
        let changed = [
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "[Content_Types].xml",
        ];
        let now = get(&after, name).unwrap_or_else(|| panic!("{name} lost"));
        if !changed.contains(&name.as_str()) {
            assert_eq!(&now, data, "{name} changed");
        }
    }
    let comments = String::from_utf8(get(&after, "word/comments.xml").unwrap()).unwrap();
    assert_eq!(comments.matches("<w:comment ").count(), 4);
    assert!(comments.contains(r#"w:author="fairscan""#) && comments.contains(r#"w:initials="FS""#));
    assert!(comments.contains("【错误】《公平竞争审查条例》第十条第（二）项"));
    let rels = String::from_utf8(get(&after, "word/_rels/document.xml.rels").unwrap()).unwrap();
    assert!(rels.contains("relationships/comments\" Target=\"comments.xml\""));
    assert!(rels.contains(r#"Id="rId10""#), "a fresh id: {rels}");
    let types = String::from_utf8(get(&after, "[Content_Types].xml").unwrap()).unwrap();
    assert!(types.contains(r#"PartName="/word/comments.xml""#));

    // The label （二） of the last paragraph has no run: the range starts after it.
    let document = get(&after, "word/document.xml").unwrap();
    let anchored = anchored_texts(&document);
    assert_eq!(anchored.len(), 4);
    for text in anchored.values() {
        assert_eq!(text, FLAGGED);
    }
    // Formatting survives the splits.
    let xml = String::from_utf8(document).unwrap();
    assert!(
        xml.contains(
            r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">其后一句。</w:t></w:r>"#
        ),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<w:commentRangeEnd w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>"#)
    );

    // The annotated copy reads exactly like the original.
    let (again, _, _) = review_of(&annotated.bytes, "措施.docx");
    assert_eq!(again.chars, review.chars);
    assert_eq!(
        again
            .findings
            .iter()
            .map(|f| (f.start, f.end))
            .collect::<Vec<_>>(),
        review
            .findings
            .iter()
            .map(|f| (f.start, f.end))
            .collect::<Vec<_>>()
    );
}

#[test]
fn existing_comments_are_extended_and_ids_continue() {
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments {NS}><w:comment w:id="7" w:author="审查员"><w:p><w:r><w:t>原有批注</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let mut source = unzip(&tricky_docx(&[(
        "word/comments.xml",
        comments.into_bytes(),
    )]));
    for (name, data) in source.iter_mut() {
        if name == "word/_rels/document.xml.rels" {
            *data = String::from_utf8(data.clone()).unwrap().replace(
                "</Relationships>",
                r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#,
            ).into_bytes();
        }
    }
    let refs: Vec<(&str, Vec<u8>)> = source
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone()))
        .collect();
    let bytes = zip(&refs);
    let (review, doc, format) = review_of(&bytes, "x.docx");
    let (annotated, _) = annotate(
        &bytes,
        format,
        "x.docx",
        &doc,
        &review,
        &RuleSet::embedded().standards,
        &Limits::default(),
    )
    .unwrap();
    let after = unzip(&annotated.bytes);
    well_formed_parts(&after);
    let comments = after
        .iter()
        .find(|(n, _)| n == "word/comments.xml")
        .map(|(_, d)| String::from_utf8(d.clone()).unwrap())
        .unwrap();
    assert!(comments.contains("原有批注"));
    assert!(comments.contains(r#"w:id="8""#) && comments.contains(r#"w:id="11""#));
    let rels = after
        .iter()
        .find(|(n, _)| n == "word/_rels/document.xml.rels")
        .unwrap();
    assert_eq!(
        rels.1.windows(8).filter(|w| w == b"comments").count(),
        2,
        "no second relationship"
    );
}

#[test]
fn a_changed_paragraph_falls_back_to_the_whole_paragraph() {
    let source = tricky_docx(&[]);
    let (review, doc, format) = review_of(&source, "a.docx");
    // The same findings against a document whose first flagged paragraph now reads differently.
    let edited = unzip(&source)
        .into_iter()
        .map(|(n, d)| {
            if n == "word/document.xml" {
                let s = String::from_utf8(d)
                    .unwrap()
                    .replace("支持总部落户。", "支持总部企业落户。");
                (n, s.into_bytes())
            } else {
                (n, d)
            }
        })
        .collect::<Vec<_>>();
    let refs: Vec<(&str, Vec<u8>)> = edited
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone()))
        .collect();
    let bytes = zip(&refs);
    let (annotated, _) = annotate(
        &bytes,
        format,
        "a.docx",
        &doc,
        &review,
        &RuleSet::embedded().standards,
        &Limits::default(),
    )
    .unwrap();
    let loose: Vec<_> = annotated
        .anchoring
        .iter()
        .filter(|a| matches!(a, Anchoring::Paragraph(_)))
        .collect();
    assert_eq!(loose.len(), 1);
    let after = unzip(&annotated.bytes);
    well_formed_parts(&after);
    let comments = after
        .iter()
        .find(|(n, _)| n == "word/comments.xml")
        .map(|(_, d)| String::from_utf8(d.clone()).unwrap())
        .unwrap();
    assert!(comments.contains("未能精确定位该句，批注附于整段"));
}

#[test]
fn other_formats_become_a_new_document_with_the_same_anchors() {
    let text = format!("关于支持总部经济发展的若干措施\n一、支持总部落户。{FLAGGED}其后一句。\n");
    let (review, doc, format) = review_of(text.as_bytes(), "措施.txt");
    assert_eq!(review.findings.len(), 1);
    let (annotated, _) = annotate(
        text.as_bytes(),
        format,
        "措施.txt",
        &doc,
        &review,
        &RuleSet::embedded().standards,
        &Limits::default(),
    )
    .unwrap();
    assert!(!annotated.original);
    let parts = unzip(&annotated.bytes);
    well_formed_parts(&parts);
    let get = |n: &str| {
        parts
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, d)| d.clone())
            .unwrap()
    };
    let anchored = anchored_texts(&get("word/document.xml"));
    assert_eq!(anchored.values().collect::<Vec<_>>(), [FLAGGED]);
    let comments = String::from_utf8(get("word/comments.xml")).unwrap();
    assert!(comments.contains(r#"w:initials="FS""#) && comments.contains("fairscan"));
    assert!(comments.contains("理由："));
}

#[test]
fn a_document_in_the_default_namespace_gets_declared_markers() {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><body><p><r><t>说明。{FLAGGED}</t></r></p></body></document>"#
    );
    let bytes = zip(&[
        (
            "[Content_Types].xml",
            br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
                .to_vec(),
        ),
        ("word/document.xml", document.into_bytes()),
    ]);
    let (review, doc, format) = review_of(&bytes, "d.docx");
    assert_eq!(review.findings.len(), 1);
    let (annotated, warnings) = annotate(
        &bytes,
        format,
        "d.docx",
        &doc,
        &review,
        &RuleSet::embedded().standards,
        &Limits::default(),
    )
    .unwrap();
    assert!(warnings.is_empty() && annotated.original);
    let after = unzip(&annotated.bytes);
    well_formed_parts(&after);
    let xml = after
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .map(|(_, d)| String::from_utf8(d.clone()).unwrap())
        .unwrap();
    assert!(xml.contains(r#"<fsw:commentRangeStart xmlns:fsw="http://schemas.openxmlformats.org/wordprocessingml/2006/main" fsw:id="0"/>"#), "{xml}");
    assert_eq!(
        anchored_texts(xml.as_bytes()).values().collect::<Vec<_>>(),
        [FLAGGED]
    );
    let names: Vec<&str> = after.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"word/_rels/document.xml.rels") && names.contains(&"word/comments.xml")
    );
}
