//! End-to-end tests of the HTML extractor on inline pages and saved fixtures.

use scraper::Html;

use super::{HtmlExtractor, extract_document};
use crate::extract::{BlockKind, Context, ExtractError, Extracted, Extractor};
use crate::limits::{Deadline, Limits};

use crate::extract::cell_tests::{assert_only_cells_have_positions, cells, three_by_three, want};

const ZOOM_PORTAL: &[u8] = include_bytes!("../../../tests/fixtures/html/zoom_portal.html");
const TRS_TABLE: &[u8] = include_bytes!("../../../tests/fixtures/html/trs_editor_table.html");
const GBK_AS_UTF8: &[u8] = include_bytes!("../../../tests/fixtures/html/gbk_declared_utf8.html");

/// Words that only portal furniture uses in the fixtures.
const FURNITURE: &[&str] = &[
    "当前位置",
    "您现在的位置",
    "您的位置",
    "首页",
    "字号",
    "字体",
    "打印",
    "关闭",
    "分享到",
    "微信",
    "相关链接",
    "相关文件",
    "相关阅读",
    "上一篇",
    "下一篇",
    "上一条",
    "下一条",
    "版权所有",
    "主办",
    "ICP备",
    "网站标识码",
    "网站地图",
    "站内搜索",
    "政务公开",
    "栏目",
    "脚本",
    "隐藏",
];

fn run_with(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let ctx = Context {
        limits,
        deadline: Deadline::after(limits.max_time),
    };
    HtmlExtractor.extract(bytes, &ctx)
}

fn run(bytes: &[u8]) -> Extracted {
    run_with(bytes, &Limits::default()).expect("page extracts")
}

/// Each block's text, in order.
fn block_texts(ex: &Extracted) -> Vec<String> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| {
            chars
                .get(b.start..b.end)
                .unwrap_or_default()
                .iter()
                .collect()
        })
        .collect()
}

fn assert_no_furniture(ex: &Extracted) {
    for word in FURNITURE {
        assert!(
            !ex.text.contains(word),
            "furniture word {word:?} in:\n{}",
            ex.text
        );
    }
}

fn assert_paragraph_indexes_are_sequential(ex: &Extracted) {
    let indexes: Vec<Option<u32>> = ex.blocks.iter().map(|b| b.paragraph).collect();
    let expected: Vec<Option<u32>> = (0..ex.blocks.len() as u32).map(Some).collect();
    assert_eq!(indexes, expected);
}

#[test]
fn zoom_portal_keeps_the_article_and_nothing_else() {
    let ex = run(ZOOM_PORTAL);
    let blocks = block_texts(&ex);
    let title = "青禾市人民政府办公室关于进一步支持中小微企业稳定发展的若干措施";
    let expected = [
        title,
        "青政办〔2024〕9号",
        "各县（市、区）人民政府，市政府各部门：",
        "为帮助中小微企业应对经营压力、稳定就业岗位，经市政府同意，现提出以下措施。",
        "一、减轻经营成本。对租用市属国有企业经营用房的中小微企业，年内减免三个月租金，已经缴纳的予以退还或者抵扣后续租金。",
        "二、加大融资支持。市融资担保机构为中小微企业提供的贷款担保，担保费率降至百分之一以下，对首次贷款企业给予贴息支持。",
        "三、畅通政府采购渠道。各采购单位编制采购需求时，应当为中小微企业预留不低于百分之四十的份额，不得以企业规模、注册地或者所有制形式设置歧视性条件。",
        "四、及时兑现政策资金。符合条件的企业通过“青禾办”平台一次申报，有关部门在二十个工作日内完成审核并拨付资金。",
        "本措施自印发之日起施行，有效期至2025年12月31日。",
        "青禾市人民政府办公室",
        "2024年4月16日",
    ];
    assert_eq!(blocks, expected);
    assert_eq!(ex.blocks[0].kind, BlockKind::Heading);
    assert!(
        ex.blocks[1..]
            .iter()
            .all(|b| b.kind == BlockKind::Paragraph)
    );
    assert_paragraph_indexes_are_sequential(&ex);
    assert_no_furniture(&ex);
    // The info line sits outside #zoom, so it is not part of the content.
    assert!(!ex.text.contains("发布时间"));
    assert_eq!(ex.hints.title.as_deref(), Some(title));
    assert_eq!(ex.hints.date.as_deref(), Some("2024-04-18"));
    assert_eq!(ex.hints.issuer.as_deref(), Some("青禾市人民政府办公室"));
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

#[test]
fn trs_editor_page_keeps_table_cells_in_row_order() {
    let ex = run(TRS_TABLE);
    let blocks = block_texts(&ex);
    let expected = [
        "青禾市商务局关于公布2024年第一批外贸企业稳岗补贴名单的公示",
        "发布日期：2024-05-09 信息来源：青禾市商务局",
        "根据《青禾市外贸企业稳岗补贴实施办法》，经企业申报、县区初审和市级复核，现将第一批拟补贴企业名单公示如下：",
        "序号",
        "企业名称",
        "所在县区",
        "补贴金额（万元）",
        "1",
        "青禾远航进出口有限公司",
        "东湖区",
        "12.5",
        "2",
        "青禾丰禾食品有限公司",
        "西岭县",
        "8.0",
        "3",
        "青禾星桥电子科技有限公司",
        "高新区",
        "15.3",
        "公示期为2024年5月9日至5月15日。对公示名单有异议的，请在公示期内以书面形式反映：",
        "联系人：外贸发展科",
        "联系电话：0999-12345678",
        "特此公示。",
        "青禾市商务局",
        "2024年5月9日",
    ];
    assert_eq!(blocks, expected);
    let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(kinds[0], BlockKind::Heading);
    assert!(kinds[3..19].iter().all(|k| *k == BlockKind::TableCell));
    assert!(kinds[19..].iter().all(|k| *k == BlockKind::Paragraph));
    assert_paragraph_indexes_are_sequential(&ex);
    assert_no_furniture(&ex);
    assert_eq!(
        ex.hints.title.as_deref(),
        Some("青禾市商务局关于公布2024年第一批外贸企业稳岗补贴名单的公示")
    );
    assert_eq!(ex.hints.date.as_deref(), Some("2024-05-09"));
    assert_eq!(ex.hints.issuer.as_deref(), Some("青禾市商务局"));
}

#[test]
fn gbk_page_declared_utf8_is_decoded_and_found_by_density() {
    let ex = run(GBK_AS_UTF8);
    let blocks = block_texts(&ex);
    let expected = [
        "青禾市市场监督管理局关于开展公平竞争审查自查工作的通知",
        "各县（市、区）市场监督管理局，市局各处室：",
        "为落实《公平竞争审查条例》，清理妨碍统一市场和公平竞争的政策措施，市局决定在全市开展公平竞争审查自查工作。现将有关事项通知如下：",
        "一、自查范围。2020年1月1日以来制定的涉及经营主体经济活动的规章、规范性文件和其他政策措施。",
        "二、自查重点。重点检查是否存在限定经营、购买或者使用特定经营者提供的商品，是否对外地经营者设置歧视性准入条件，是否违法给予特定经营者优惠政策。",
        "三、工作要求。各单位应当于2023年12月15日前完成自查，形成书面报告报送市局竞争政策协调处。",
        "联系人：竞争政策协调处　电话：0999-87654321",
        "青禾市市场监督管理局",
        "2023年11月2日",
    ];
    assert_eq!(blocks, expected);
    assert_no_furniture(&ex);
    assert!(!ex.text.contains("点击数"));
    assert_eq!(ex.warnings.len(), 1, "{:?}", ex.warnings);
    assert!(ex.warnings[0].contains("utf-8") && ex.warnings[0].contains("GB18030"));
    assert_eq!(
        ex.hints.title.as_deref(),
        Some("青禾市市场监督管理局关于开展公平竞争审查自查工作的通知")
    );
    assert_eq!(ex.hints.date.as_deref(), Some("2023-11-02"));
    assert_eq!(ex.hints.issuer, None);
}

fn page(body: &str) -> Vec<u8> {
    format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>测试页面</title></head><body>{body}</body></html>")
        .into_bytes()
}

#[test]
fn scripts_styles_forms_and_hidden_text_are_left_out() {
    let ex = run(&page(
        r#"<div id="zoom">
            <style>p { color: red } .x::after { content: "样式文字" }</style>
            <p>第一条 为了维护市场公平竞争秩序，制定本办法。</p>
            <script>var note = "脚本文字";</script>
            <noscript>请启用脚本</noscript>
            <p hidden>隐藏属性文字</p>
            <div style="visibility:hidden">不可见文字</div>
            <form action="/s"><input value="表单文字"><label>站内检索</label></form>
            <p>第二条 本办法适用于本市行政区域内的政策制定机关。</p>
        </div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 为了维护市场公平竞争秩序，制定本办法。",
            "第二条 本办法适用于本市行政区域内的政策制定机关。"
        ]
    );
}

#[test]
fn entities_are_decoded() {
    let ex = run(&page(
        "<div id=\"zoom\"><p>甲&lt;乙&gt;&amp;丙&#x4E2D;&#25991;&nbsp;&quot;丁&quot;&ensp;戊</p></div>",
    ));
    assert_eq!(ex.text, "甲<乙>&丙中文 \"丁\"\u{2002}戊");
}

#[test]
fn blocks_follow_paragraphs_headings_items_and_line_breaks() {
    let ex = run(&page(
        r#"<article>
            <h2>第一章 总则</h2>
            <p>第一条 为了规范政策制定行为，<b>保障</b>公平竞争，制定本规定。</p>
            <div>第二条 政策制定机关应当进行公平竞争审查。<br>审查结论应当书面记录。</div>
            <ul><li>（一）限制市场准入；</li><li>（二）限制商品要素自由流动。</li></ul>
        </article>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "第一章 总则",
            "第一条 为了规范政策制定行为，保障公平竞争，制定本规定。",
            "第二条 政策制定机关应当进行公平竞争审查。",
            "审查结论应当书面记录。",
            "（一）限制市场准入；",
            "（二）限制商品要素自由流动。",
        ]
    );
    let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(kinds[0], BlockKind::Heading);
    assert!(kinds[1..].iter().all(|k| *k == BlockKind::Paragraph));
    assert_paragraph_indexes_are_sequential(&ex);
}

#[test]
fn density_picks_the_prose_when_no_known_container_exists() {
    let ex = run(&page(
        r#"<div class="top"><ul class="menu"><li><a href="/">网站首页</a></li><li><a href="/a">机构概况</a></li></ul></div>
        <div class="left"><p>栏目简介：发布本单位的通知公告。</p></div>
        <div class="wenzhang">
            <p>第一条 为了加强政府采购管理，提高财政资金使用效益，结合本市实际，制定本办法。</p>
            <p>第二条 采购人不得以不合理的条件对供应商实行差别待遇或者歧视待遇。</p>
            <p>第三条 本办法自公布之日起施行。</p>
        </div>
        <div class="foot"><p>青禾市财政局 地址：青禾市府前路1号</p></div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 为了加强政府采购管理，提高财政资金使用效益，结合本市实际，制定本办法。",
            "第二条 采购人不得以不合理的条件对供应商实行差别待遇或者歧视待遇。",
            "第三条 本办法自公布之日起施行。",
        ]
    );
}

#[test]
fn a_tiny_known_container_does_not_beat_the_article() {
    let ex = run(&page(
        r#"<div class="view">浏览次数：1024 次，感谢关注本站</div>
        <div class="nr">
            <p>第一条 各地区、各部门不得违法给予特定经营者财政奖励或者补贴。</p>
            <p>第二条 不得以要求在本地投资或者设立分支机构作为享受政策的条件。</p>
        </div>"#,
    ));
    assert!(ex.text.starts_with("第一条"));
    assert!(!ex.text.contains("浏览次数"));
}

#[test]
fn link_lists_after_a_related_heading_are_dropped_but_later_prose_is_kept() {
    let ex = run(&page(
        r#"<div id="zoom">
            <p>第一条 政策措施不得设置不合理的准入条件。</p>
            <p>相关文件：</p>
            <p><a href="/1">青禾市招标投标管理办法</a></p>
            <p><a href="/2">关于优化营商环境的实施意见</a></p>
            <p>附件：<a href="/f.pdf">补贴申请表.pdf</a></p>
            <p>上一篇：<a href="/p">关于春节放假的通知</a></p>
        </div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 政策措施不得设置不合理的准入条件。",
            "附件：补贴申请表.pdf"
        ]
    );
}

#[test]
fn page_wide_aspnet_form_is_not_dropped() {
    let ex = run(&page(
        r#"<form id="form1" method="post"><input type="hidden" name="__VIEWSTATE" value="abc">
            <div class="wz"><p>第一条 招标文件不得要求投标人在本地注册设立子公司。</p>
            <p>第二条 不得将特定行政区域的业绩作为加分条件。</p></div>
        </form>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 招标文件不得要求投标人在本地注册设立子公司。",
            "第二条 不得将特定行政区域的业绩作为加分条件。"
        ]
    );
}

#[test]
fn one_cell_layout_tables_are_paragraphs_not_table_cells() {
    let ex = run(&page(
        r#"<table><tr><td class="nr">第一条 本市对内外资企业一视同仁。<br>第二条 不得违法设置审批程序。</td></tr></table>"#,
    ));
    assert_eq!(ex.blocks.len(), 2);
    assert!(ex.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
}

#[test]
fn empty_and_garbage_input_do_not_panic() {
    let empty = run(b"");
    assert!(empty.text.is_empty());
    assert!(!empty.warnings.is_empty());
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let _ = run(&noise);
    let _ = run(
        b"<html><body><table><tr><td><table></td></div></p></html><p>\xff\xfe<<>>&#xFFFFFF;&#0;",
    );
}

#[test]
fn oversized_files_are_refused() {
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        run_with(&page("<p>第一条 内容。</p>"), &limits),
        Err(ExtractError::TooLarge(_))
    ));
}

fn nested(depth: usize) -> String {
    format!(
        "<html><body><div id=\"zoom\"><p>第一条 浅层正文应当保留。</p>{}<p>第二条 深层嵌套中的文字。</p>{}</div></body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

#[test]
fn extreme_nesting_is_refused_before_parsing() {
    let started = std::time::Instant::now();
    let result = run_with(nested(20_000).as_bytes(), &Limits::default());
    assert!(matches!(result, Err(ExtractError::TooLarge(_))));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn parser_and_walks_survive_twenty_thousand_levels() {
    // html5ever builds the deep tree without recursion; all walks here are
    // iterative, so with the depth limit lifted the deepest text comes out.
    let doc = Html::parse_document(&nested(20_000));
    let limits = Limits {
        max_depth: 50_000,
        ..Limits::default()
    };
    let ctx = Context {
        limits: &limits,
        deadline: Deadline::after(limits.max_time),
    };
    let ex = extract_document(&doc, &ctx).expect("deep tree extracts");
    assert_eq!(
        block_texts(&ex),
        ["第一条 浅层正文应当保留。", "第二条 深层嵌套中的文字。"]
    );
    drop(doc);
}

#[test]
fn moderately_deep_content_is_cut_with_a_warning() {
    let ex = run(nested(1_000).as_bytes());
    assert_eq!(block_texts(&ex), ["第一条 浅层正文应当保留。"]);
    assert!(
        ex.warnings.iter().any(|w| w.contains("嵌套")),
        "{:?}",
        ex.warnings
    );
}

#[test]
fn a_furniture_sounding_wrapper_does_not_hide_the_article() {
    let ex = run(&page(
        r#"<div class="layout-with-sidebar">
            <div class="sidebar"><p>热门服务：社保查询、公积金查询、不动产登记查询。</p></div>
            <div class="main"><p>第一条 不得限定经营者只能购买指定的商品。</p>
            <p>第二条 不得对外地商品设定歧视性收费项目。</p></div>
        </div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 不得限定经营者只能购买指定的商品。",
            "第二条 不得对外地商品设定歧视性收费项目。"
        ]
    );
}

#[test]
fn title_above_the_content_is_kept_but_not_a_site_banner() {
    let ex = run(&page(
        r#"<div class="banner"><h1>青禾市人民政府门户网站</h1></div>
        <div class="detail">
            <div class="detail-title">关于公布第二批市级专精特新企业名单的通知</div>
            <div class="detail-info">发布时间：2024-06-01</div>
            <div class="TRS_Editor"><p>经企业自愿申报、专家评审，现将名单予以公布。</p></div>
        </div>
        <div class="detail-2"><div class="TRS_Editor"><p>短</p></div></div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "关于公布第二批市级专精特新企业名单的通知",
            "经企业自愿申报、专家评审，现将名单予以公布。"
        ]
    );
    assert_eq!(ex.blocks[0].kind, BlockKind::Heading);

    let ex = run(&page(
        r#"<div class="banner"><h1>青禾市人民政府门户网站</h1></div>
        <div id="zoom"><p>第一条 各级行政机关应当平等对待各类经营主体。</p></div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        ["第一条 各级行政机关应当平等对待各类经营主体。"]
    );
}

#[test]
fn furniture_inside_a_broad_container_is_filtered_line_by_line() {
    let ex = run(&page(
        r#"<div id="content">
            <div>当前位置：<a href="/">首页</a> &gt; <a href="/x">通知公告</a></div>
            <h1>关于规范招商引资优惠政策的通知</h1>
            <div>发布时间：2024-07-01　来源：市投资促进局　字号：<a>大</a>|<a>中</a>|<a>小</a>　<a>【打印】</a></div>
            <p>　　各县区：招商引资中不得违法给予特定经营者税收返还。</p>
            <div>分享到：<a>微信</a><a>微博</a></div>
            <div><span>上一篇：</span><a href="/p">关于节假日值班安排的通知</a></div>
            <div><b>相关链接</b></div>
            <div><a href="/r1">招商引资管理办法</a></div>
            <div>版权所有 © 青禾市投资促进局　网站标识码：3399000050</div>
        </div>"#,
    ));
    assert_eq!(
        block_texts(&ex),
        [
            "关于规范招商引资优惠政策的通知",
            "发布时间：2024-07-01　来源：市投资促进局",
            "各县区：招商引资中不得违法给予特定经营者税收返还。",
        ]
    );
}

#[test]
fn three_by_three_table_with_header_row_has_cell_positions() {
    let ex = run(&page(
        r#"<div id="zoom">
            <p>第一条 申报条件如下：</p>
            <table>
              <thead><tr><th>项目</th><th>条件</th><th>标准</th></tr></thead>
              <tbody>
                <tr><td>技术改造</td><td><p>在本区登记注册</p><p>投资额不低于五百万元</p></td><td>补助百分之十</td></tr>
                <tr><td>首台套</td><td>经省级认定</td><td>奖励五十万元</td></tr>
              </tbody>
            </table>
            <p>第二条 本办法自印发之日起施行。</p>
        </div>"#,
    ));
    assert_eq!(
        cells(&ex),
        // Two paragraphs of one cell: two blocks, one position.
        three_by_three(&["在本区登记注册", "投资额不低于五百万元"])
    );
    assert_only_cells_have_positions(&ex);
}

#[test]
fn colspan_and_rowspan_move_cells_on_the_grid() {
    let ex = run(&page(
        r#"<div id="zoom"><table>
            <tr><td rowspan="2">类别</td><td>条件</td><td>标准</td><td>备注</td></tr>
            <tr><td colspan="2">合并两列</td><td>无</td></tr>
            <tr><td>乙类</td><td colspan=" 3 ">合并三列</td></tr>
            <tr><td>丙类</td><td rowspan="2" colspan="2">两行两列</td><td>末列</td></tr>
            <tr><td>丁类</td><td>末列二</td></tr>
        </table></div>"#,
    ));
    assert_eq!(
        cells(&ex),
        want(&[
            ("类别", Some((0, 0, 0))),
            ("条件", Some((0, 0, 1))),
            ("标准", Some((0, 0, 2))),
            ("备注", Some((0, 0, 3))),
            ("合并两列", Some((0, 1, 1))),
            ("无", Some((0, 1, 3))),
            ("乙类", Some((0, 2, 0))),
            ("合并三列", Some((0, 2, 1))),
            ("丙类", Some((0, 3, 0))),
            ("两行两列", Some((0, 3, 1))),
            ("末列", Some((0, 3, 3))),
            ("丁类", Some((0, 4, 0))),
            ("末列二", Some((0, 4, 3))),
        ])
    );
}

#[test]
fn nested_table_gets_its_own_number_and_two_tables_count_zero_and_one() {
    let ex = run(&page(
        r#"<div id="zoom">
            <table>
              <tr><td>外甲</td><td>外乙</td></tr>
              <tr><td>嵌套之前<table><tr><td>内甲</td><td>内乙</td></tr></table>嵌套之后</td><td>外丁</td></tr>
            </table>
            <p>两表之间的说明文字。</p>
            <table><tr><td>后甲</td><td>后乙</td></tr></table>
        </div>"#,
    ));
    assert_eq!(
        cells(&ex),
        want(&[
            ("外甲", Some((0, 0, 0))),
            ("外乙", Some((0, 0, 1))),
            ("嵌套之前", Some((0, 1, 0))),
            ("内甲", Some((1, 0, 0))),
            ("内乙", Some((1, 0, 1))),
            ("嵌套之后", Some((0, 1, 0))),
            ("外丁", Some((0, 1, 1))),
            ("两表之间的说明文字。", None),
            ("后甲", Some((2, 0, 0))),
            ("后乙", Some((2, 0, 1))),
        ])
    );

    let ex = run(&page(
        r#"<div id="zoom">
            <table><tr><td>申报条件</td><td>在本区依法登记注册的企业</td></tr></table>
            <p>两表之间的说明文字。</p>
            <table><tr><td>支持标准</td><td>按设备投资额的百分之十给予补助</td></tr></table>
        </div>"#,
    ));
    assert_eq!(
        cells(&ex),
        want(&[
            ("申报条件", Some((0, 0, 0))),
            ("在本区依法登记注册的企业", Some((0, 0, 1))),
            ("两表之间的说明文字。", None),
            ("支持标准", Some((1, 0, 0))),
            ("按设备投资额的百分之十给予补助", Some((1, 0, 1))),
        ])
    );
}

#[test]
fn layout_tables_take_no_number_and_their_text_has_no_cell() {
    let ex = run(&page(
        r#"<table><tr><td class="nr">
            <p>第一条 本市对内外资企业一视同仁。</p>
            <table><tr><th>事项名称</th><th>办理时限</th></tr><tr><td>个体工商户设立登记</td><td>当场办结</td></tr></table>
            <p>第二条 不得违法设置审批程序。</p>
        </td></tr></table>"#,
    ));
    assert_eq!(
        cells(&ex),
        want(&[
            ("第一条 本市对内外资企业一视同仁。", None),
            ("事项名称", Some((0, 0, 0))),
            ("办理时限", Some((0, 0, 1))),
            ("个体工商户设立登记", Some((0, 1, 0))),
            ("当场办结", Some((0, 1, 1))),
            ("第二条 不得违法设置审批程序。", None),
        ])
    );
    assert_eq!(ex.blocks[0].kind, BlockKind::Paragraph);
}

#[test]
fn trs_editor_fixture_rows_pair_with_their_header_row() {
    let ex = run(TRS_TABLE);
    let header: Vec<(u32, String)> = cells(&ex)
        .into_iter()
        .filter_map(|(t, c)| c.filter(|c| c.1 == 0).map(|c| (c.2, t)))
        .collect();
    assert_eq!(header.len(), 4);
    let row2: Vec<(String, String)> = cells(&ex)
        .into_iter()
        .filter_map(|(t, c)| c.filter(|c| c.1 == 2).map(|c| (c.2, t)))
        .map(|(col, t)| {
            let head = header.iter().find(|h| h.0 == col).map(|h| h.1.clone());
            (head.unwrap_or_default(), t)
        })
        .collect();
    assert_eq!(
        row2,
        [
            ("序号".to_string(), "2".to_string()),
            ("企业名称".into(), "青禾丰禾食品有限公司".into()),
            ("所在县区".into(), "西岭县".into()),
            ("补贴金额（万元）".into(), "8.0".into()),
        ]
    );
}
