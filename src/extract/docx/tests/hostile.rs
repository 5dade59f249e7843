//! Broken and hostile packages fail cleanly and fast.

use std::time::{Duration, Instant};

use super::*;

#[test]
fn entity_bomb_is_not_expanded() {
    let mut doctype = String::from(r#"<!DOCTYPE w:document [<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">"#);
    for i in 1..10 {
        let prev = format!("&a{};", i - 1);
        doctype.push_str(&format!(r#"<!ENTITY a{i} "{}">"#, prev.repeat(10)));
    }
    doctype.push_str("]>");
    let xml = format!(
        r#"<?xml version="1.0"?>{doctype}<w:document {NS}><w:body><w:p><w:r><w:t>前&a9;后</w:t></w:r></w:p></w:body></w:document>"#,
        NS = NS
    );
    let started = Instant::now();
    let ex = extract(&package(&[("word/document.xml", &xml)])).unwrap();
    assert_eq!(ex.text, "前后");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn deep_nesting_is_too_large_not_a_stack_overflow() {
    let depth = 20_000;
    let body = format!(
        "{}{}{}",
        "<w:sdt><w:sdtContent>".repeat(depth),
        p("深处"),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    let err = extract(&package(&[("word/document.xml", &document(&body))])).unwrap_err();
    assert!(matches!(err, ExtractError::TooLarge(_)), "{err:?}");
}

#[test]
fn deep_nesting_in_side_parts_also_stops_the_file() {
    let deep = part("w:numbering", &"<w:lvl>".repeat(20_000));
    let bytes = package(&[
        ("word/document.xml", &document(&p("正文"))),
        ("word/numbering.xml", &deep),
    ]);
    assert!(matches!(extract(&bytes), Err(ExtractError::TooLarge(_))));
}

#[test]
fn missing_or_invalid_main_document_is_corrupt() {
    let no_document = package(&[("word/styles.xml", "<w:styles/>")]);
    assert!(
        matches!(extract(&no_document), Err(ExtractError::Corrupt(m)) if m.contains("word/document.xml"))
    );

    let truncated = package(&[(
        "word/document.xml",
        "<w:document><w:body><w:p><w:r><w:t>半截</w:t></w:r></w:p><w:p",
    )]);
    match extract(&truncated) {
        Err(ExtractError::Corrupt(m)) => assert!(m.contains("word/document.xml"), "{m}"),
        other => panic!("expected corrupt, got {other:?}"),
    }

    assert!(matches!(
        extract(b"PK\x03\x04 not really a zip"),
        Err(ExtractError::Corrupt(_))
    ));
    assert!(matches!(extract(b""), Err(ExtractError::Corrupt(_))));
}

#[test]
fn main_document_found_through_package_relationships() {
    let root = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document2.xml"/></Relationships>"#;
    let bytes = package(&[
        ("_rels/.rels", root),
        ("word/document2.xml", &document(&p("另一个正文部件"))),
    ]);
    assert_eq!(texts(&extract(&bytes).unwrap()), ["另一个正文部件"]);
}

#[test]
fn nonsense_numbering_values_do_not_panic() {
    let numbering = part(
        "w:numbering",
        r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="9223372036854775807"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1%9%%"/></w:lvl>
           <w:lvl w:ilvl="99"><w:start w:val="-5"/></w:lvl></w:abstractNum>
           <w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="-1"><w:startOverride w:val="x"/></w:lvlOverride></w:num>"#,
    );
    let body = [np(1, 0, "甲"), np(1, 0, "乙"), np(1, 42, "丙")].concat();
    let bytes = package(&[
        ("word/document.xml", &document(&body)),
        ("word/numbering.xml", &numbering),
    ]);
    let ex = extract(&bytes).unwrap();
    assert_eq!(ex.blocks.len(), 3);
    assert!(texts(&ex)[1].ends_with('乙'));
}
