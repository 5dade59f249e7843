//! Body order, tables, text boxes, headers, footers, notes, runs and fields.

use super::*;
use crate::extract::BlockKind::*;

fn text_box(text: &str) -> String {
    format!(
        "<w:r><mc:AlternateContent>\
           <mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>\
             <wps:wsp><wps:txbx><w:txbxContent>{choice}</w:txbxContent></wps:txbx></wps:wsp>\
           </a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>\
           <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{fallback}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>\
         </mc:AlternateContent></w:r>",
        choice = p(text),
        fallback = p(text),
    )
}

fn structured_docx() -> Vec<u8> {
    let body = [
        pp(r#"<w:pStyle w:val="1"/>"#, "关于促进公平竞争的若干措施"),
        p("为规范招标投标活动，制定本措施。"),
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>\
             <w:tr><w:tc>{}<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl></w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            p("项目"),
            p("金额"),
            p("补贴"),
            p("内层表格"),
            p("100万元")
        ),
        format!("<w:p><w:r><w:t>锚定段落</w:t></w:r>{}</w:p>", text_box("文本框内容")),
        p("结尾段落"),
        r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/>
           <w:footerReference w:type="default" r:id="rIdF"/>
           <w:footerReference w:type="first" r:id="rIdF2"/></w:sectPr>"#
            .to_string(),
    ]
    .concat();
    let styles = part(
        "w:styles",
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
           <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>"#,
    );
    let header = part("w:hdr", &p("某某市市场监督管理局"));
    let footer = part(
        "w:ftr",
        &[
            r#"<w:p><w:r><w:t xml:space="preserve">第 </w:t></w:r>
               <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
               <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>
               <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p>"#
                .to_string(),
            p("联系电话：12345"),
        ]
        .concat(),
    );
    let first_footer = part(
        "w:ftr",
        r#"<w:p><w:r><w:t>— </w:t></w:r><w:fldSimple w:instr=" PAGE \* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t> —</w:t></w:r></w:p>"#,
    );
    let footnotes = part(
        "w:footnotes",
        &format!(
            r#"<w:footnote w:type="separator" w:id="-1">{}</w:footnote>
               <w:footnote w:type="continuationSeparator" w:id="0">{}</w:footnote>
               <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>指注册地在本市的企业。</w:t></w:r></w:p></w:footnote>"#,
            p("分隔符"),
            p("续分隔符")
        ),
    );
    let endnotes = part(
        "w:endnotes",
        &format!(r#"<w:endnote w:id="1">{}</w:endnote>"#, p("尾注内容")),
    );
    let core = r#"<cp:coreProperties xmlns:cp="cp" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title> 关于促进公平竞争的若干措施 </dc:title></cp:coreProperties>"#;
    package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &document(&body)),
        (
            "word/_rels/document.xml.rels",
            &rels(&[
                ("rIdS", "styles", "styles.xml"),
                ("rIdF2", "footer", "footer2.xml"),
                ("rIdH", "header", "header1.xml"),
                ("rIdF", "footer", "footer1.xml"),
                ("rIdN", "footnotes", "footnotes.xml"),
                ("rIdE", "endnotes", "/word/endnotes.xml"),
                ("rIdL", "hyperlink", "http://example.invalid/"),
            ]),
        ),
        ("word/styles.xml", &styles),
        ("word/header1.xml", &header),
        ("word/footer1.xml", &footer),
        ("word/footer2.xml", &first_footer),
        ("word/footnotes.xml", &footnotes),
        ("word/endnotes.xml", &endnotes),
        ("docProps/core.xml", core),
    ])
}

#[test]
fn reads_body_tables_text_boxes_and_side_parts_in_order() {
    let ex = extract(&structured_docx()).unwrap();
    let expected = [
        (Heading, "关于促进公平竞争的若干措施"),
        (Paragraph, "为规范招标投标活动，制定本措施。"),
        (TableCell, "项目"),
        (TableCell, "金额"),
        (TableCell, "补贴"),
        (TableCell, "内层表格"),
        (TableCell, "100万元"),
        (Paragraph, "锚定段落"),
        (TextBox, "文本框内容"),
        (Paragraph, "结尾段落"),
        (Header, "某某市市场监督管理局"),
        (Footer, "联系电话：12345"),
        (Footnote, "指注册地在本市的企业。"),
        (Endnote, "尾注内容"),
    ];
    let got = blocks(&ex);
    let want: Vec<(BlockKind, String)> =
        expected.iter().map(|(k, t)| (*k, t.to_string())).collect();
    assert_eq!(got, want);
    // Fallback copy of the text box is counted as a w:p but never read.
    let indexes: Vec<Option<u32>> = ex.blocks.iter().map(|b| b.paragraph).collect();
    let body = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10].map(Some);
    assert_eq!(&indexes[..10], &body);
    assert!(indexes[10..].iter().all(Option::is_none));
    assert_eq!(
        ex.hints.title.as_deref(),
        Some("关于促进公平竞争的若干措施")
    );
    assert_eq!(ex.hints.date, None);
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

#[test]
fn runs_fields_and_revisions() {
    let body = r#"<w:p>
        <w:r><w:t>依据</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText xml:space="preserve"> HYPERLINK "http://example.invalid" </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r>
        <w:r><w:t>《条例》</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:tab/><w:t>第</w:t><w:br/><w:t>二</w:t><w:noBreakHyphen/><w:sym w:font="Wingdings" w:char="F0B7"/><w:sym w:font="SimSun" w:char="2605"/></w:r>
        <w:del w:id="1" w:author="a"><w:r><w:delText>删除的</w:delText></w:r></w:del>
        <w:ins w:id="2" w:author="a"><w:r><w:t>新增的</w:t></w:r></w:ins>
        <w:hyperlink r:id="rId9"><w:r><w:t>链接文本</w:t></w:r></w:hyperlink>
        <w:fldSimple w:instr=" DATE "><w:r><w:t>2024年1月1日</w:t></w:r></w:fldSimple>
      </w:p>
      <w:p>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>9</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 1 "一" "二"</w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>嵌套域结果</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:t>；页码 </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>5</w:t></w:r></w:fldSimple>
      </w:p>
      <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs><w:rPr><w:del w:id="3"/></w:rPr></w:pPr>
        <w:r><w:t xml:space="preserve">  两端空格  </w:t></w:r>
        <w:r><w:ruby><w:rt><w:r><w:t>zhù</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>注</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"#;
    let ex = extract(&package(&[("word/document.xml", &document(body))])).unwrap();
    assert_eq!(
        texts(&ex),
        [
            "依据《条例》 第 二-★新增的链接文本2024年1月1日",
            "嵌套域结果；页码 5",
            "两端空格  注"
        ]
    );
    assert_eq!(ex.hints.title, None);
}

#[test]
fn works_without_relationships_and_skips_broken_side_parts() {
    let bytes = package(&[
        ("word/document.xml", &document(&p("正文"))),
        ("word/header2.xml", &part("w:hdr", &p("页眉二"))),
        ("word/header1.xml", &part("w:hdr", &p("页眉一"))),
        ("word/footer1.xml", "<w:ftr><w:p"),
        (
            "docProps/core.xml",
            "<cp:coreProperties><dc:title>  </dc:title></cp:coreProperties>",
        ),
    ]);
    let ex = extract(&bytes).unwrap();
    assert_eq!(texts(&ex), ["正文", "页眉一", "页眉二"]);
    assert_eq!(ex.hints.title, None);
    assert_eq!(ex.warnings.len(), 1);
    assert!(
        ex.warnings[0].contains("word/footer1.xml"),
        "{:?}",
        ex.warnings
    );
}
