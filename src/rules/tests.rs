//! Engine semantics on the embedded packs.

use super::RuleSet;
use crate::review::Level;

/// What the rules alone report (the learned second opinion is tested in `classify`).
fn levels(text: &str) -> Vec<(u8, u8, Level)> {
    RuleSet::embedded()
        .evaluate_rules_text(text)
        .into_iter()
        .map(|f| (f.article, f.item, f.level))
        .collect()
}

#[test]
fn prohibitions_cleanups_and_titles_cancel() {
    assert!(levels("严禁以企业的地方财政贡献作为给予奖励的依据。").is_empty());
    assert!(levels("全面清理按地方留成给予奖励的政策措施。").is_empty());
    assert!(levels("审查是否存在按地方财政贡献给予奖励的情形。").is_empty());
    assert!(levels("废止《关于按地方留成比例给予企业奖励的通知》。").is_empty());
    // Reports of problems found and cases already corrected describe a
    // measure; they are not one.
    let measure = "要求外地企业在本市设立分支机构。";
    assert!(!levels(measure).is_empty());
    assert!(levels(&format!("此次抽查发现的问题主要包括：{measure}")).is_empty());
    let measure = "申请补贴的企业须在当地纳税";
    assert!(!levels(&format!("{measure}。")).is_empty());
    assert!(levels(&format!("某市曾规定{measure}，该条款已被责令修改。")).is_empty());
    // A negation that names the action itself (不指定, 不限定).
    assert!(!levels("各成员单位的耗材统一由医共体总院指定配送企业配送。").is_empty());
    assert!(levels("各成员单位自主选择配送企业，医共体总院不指定配送企业。").is_empty());
}

/// Saying a requirement is not needed (不需报经同意) forbids it, like 不得.
#[test]
fn a_requirement_said_to_be_unneeded_is_not_one() {
    let measure = "景区经营者调整门票价格的，须报经县发展改革局同意。";
    assert!(!levels(measure).is_empty());
    assert!(
        levels("景区经营者调整门票价格的，应当提前公示，不需报经县发展改革局同意。").is_empty()
    );
    assert!(
        levels("景区经营者调整门票价格的，应当提前公示，无需报经县发展改革局同意。").is_empty()
    );
}

/// A title line, an attachment note naming the document and the statement of
/// why it was made share the document's words but are not measures.
#[test]
fn titles_and_purpose_statements_raise_nothing() {
    let title = "某县机关办公用品定点采购管理办法";
    let measure = "第五条 机关办公用品一律在定点供应商处采购。";
    let text = format!(
        "{title}\n第一条 为规范机关办公用品定点采购行为，制定本办法。\n{measure}\n附件：{title}"
    );
    let found = RuleSet::embedded().evaluate_rules_text(&text);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|f| f.text.ends_with("机关办公用品一律在定点供应商处采购。")),
        "{found:?}"
    );
    // The same words as a measure are still one.
    assert!(!levels("机关办公用品定点采购，一律在定点供应商处采购。").is_empty());
}

#[test]
fn legal_basis_and_exceptions_downgrade_article_ten() {
    assert_eq!(
        levels("对按地方财政贡献给予奖励的企业名单予以公示。"),
        [(10, 2, Level::Error)]
    );
    assert_eq!(
        levels("依据《中华人民共和国企业所得税法》，按企业地方财政贡献给予奖励。"),
        [(10, 2, Level::Suggestion)]
    );
    assert_eq!(
        levels("为保障救灾物资供应，对按地方财政贡献给予奖励，实施期限至2025年12月31日止。"),
        [(10, 2, Level::Suggestion)]
    );
    // Article 12 covers every article: a safety reason and a period with its end.
    let moratorium = "承载力不足的台区暂停新增分布式光伏接入";
    assert_eq!(levels(&format!("{moratorium}。")), [(8, 4, Level::Warning)]);
    assert_eq!(
        levels(&format!(
            "为保障电网运行安全，{moratorium}，暂停期限至2025年12月31日，改造完成后即行恢复。"
        )),
        [(8, 4, Level::Suggestion)]
    );
}

#[test]
fn conditions_and_benefits_link_across_sentences_of_a_clause() {
    let doc = "（一）申报条件。在本区注册，且上年度区级财政贡献不低于100万元。\n（二）支持标准。给予一次性奖励50万元。";
    // Different clauses (（一） and （二）): clause scope does not link them.
    assert!(levels(doc).is_empty());
    let one_clause = "一、总部企业奖励\n申报条件：上年度区级财政贡献不低于100万元。支持标准：给予一次性奖励50万元。";
    assert_eq!(levels(one_clause), [(10, 2, Level::Error)]);
}

#[test]
fn lists_introduced_by_a_clean_up_lead_in_are_not_measures() {
    let doc = "二、清理重点\n重点清理含有下列内容的政策措施：\n1．违法根据企业地方财政贡献给予奖励；\n2．其他。\n三、工作要求\n对按地方财政贡献给予奖励的企业予以公示。";
    let found = levels(doc);
    assert_eq!(
        found,
        [(10, 2, Level::Error)],
        "only the measure after the list is flagged"
    );
}

#[test]
fn the_issuers_own_place_counts_as_local_but_not_its_organs() {
    use crate::document::Document;
    let doc = Document::from_text(
        "青禾市人民政府文件\n关于印发若干措施的通知\n第三条 对上年度在青禾市形成地方财政贡献的企业，由青禾市财政局给予奖励。\n青禾市人民政府\n2024年3月1日",
    );
    assert_eq!(doc.meta.issuer.as_deref(), Some("青禾市人民政府"));
    assert_eq!(super::hits::place_names(&doc), ["青禾市"]);
}

#[test]
fn long_documents_are_evaluated_window_by_window_without_losing_links() {
    // 3,000 clauses, each linking a condition and a benefit across sentences:
    // far more text than one window, and every clause must still be found.
    let clause = "申报条件：上年度区级财政贡献不低于100万元。支持标准：给予一次性奖励50万元。";
    let text: String = (1..=3000)
        .map(|i| {
            format!(
                "第{}条 {clause}\n",
                crate::document::numerals::to_chinese(i % 999 + 1)
            )
        })
        .collect();
    let found = RuleSet::embedded().evaluate_text(&text);
    assert_eq!(found.len(), 3000);
}

#[test]
fn findings_are_capped_with_a_warning() {
    use crate::document::Document;
    use crate::segment::Segmenter;
    let text = "对按地方财政贡献给予奖励的企业予以公示。".repeat(6000);
    let doc = Document::from_text(&text);
    let (found, warning) = RuleSet::embedded().evaluate_with_warnings(&doc, Segmenter::global());
    assert_eq!(found.len(), super::engine::MAX_FINDINGS);
    assert!(warning.is_some());
}

#[test]
fn an_exemption_before_a_contrast_does_not_cancel_what_follows() {
    let fires_9_2 = |text: &str| levels(text).iter().any(|&(a, i, _)| (a, i) == (9, 2));
    assert!(!fires_9_2(
        "外地企业与本地企业同等享受补贴，无须将税收关系迁入本区。"
    ));
    assert!(fires_9_2(
        "外地企业与本地企业同等享受补贴，但须将税收关系迁入本区。"
    ));
}

/// A list whose lead-in names persons sets conditions on persons, not on
/// operators: the exemption in the lead-in reaches every item.
#[test]
fn an_individual_in_a_lead_in_exempts_its_items() {
    let items = "（一）在本市连续缴纳社会保险六个月以上；\n（二）上一年度营业收入不低于500万元。";
    let head = "第一条 为规范管理，制定本办法。";
    assert_eq!(
        levels(&format!(
            "{head}\n第二条 申请物流补贴的企业应当同时符合下列条件：\n{items}"
        )),
        [(9, 2, Level::Error)]
    );
    assert!(
        levels(&format!(
            "{head}\n第二条 申请人才公寓应当同时符合下列条件：\n{items}"
        ))
        .is_empty()
    );
}

#[test]
fn sentences_about_measures_are_told_from_prohibitions_on_operators() {
    let about =
        |text: &str| super::engine::speaks_about_measures(&RuleSet::embedded().compiled, text);
    assert!(about("（三）不准对特定企业减免房产税。"));
    assert!(about("各部门不得以备案为名设置审批。"));
    assert!(about("此次抽查发现的问题主要包括：指定检测机构。"));
    // Operators are the ones restricted; a quoted item names a check.
    assert!(!about("2.参与企业不得通过网络直播等线上渠道销售。"));
    assert!(!about("将“是否使用本地平台”纳入考核加分项。"));
}
