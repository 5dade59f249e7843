use super::dataset::{Example, Source};
use super::features::{Vectorizer, count_ngrams, normalize, pack, smooth_idf, unpack};
use super::model::Model;
use super::{fit, train};
use crate::rules::RuleSet;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

#[test]
fn normalizing_folds_width_case_and_spacing() {
    assert_eq!(normalize("Ａ 本地\t企业\n"), chars("a本地企业"));
}

#[test]
fn ngrams_are_every_one_to_three_character_slice() {
    let counts = count_ngrams(&chars("本地本"));
    assert_eq!(counts.len(), 5, "本 地 本地 地本 本地本");
    assert_eq!(counts[&pack(&chars("本"))], 2);
    assert_eq!(counts[&pack(&chars("本地本"))], 1);
    assert_eq!(unpack(pack(&chars("企业"))), "企业");
    // A shorter n-gram never shares a key with a longer one.
    assert_ne!(pack(&['\0', 'a']), pack(&['a']));
}

#[test]
fn idf_is_smoothed_and_rows_have_unit_norm() {
    assert!((smooth_idf(3, 3) - 1.0).abs() < 1e-6);
    assert!((smooth_idf(3, 1) - (2.0f32.ln() + 1.0)).abs() < 1e-6);
    let texts = [chars("本地企业"), chars("外地企业"), chars("本地")];
    let v = Vectorizer::fit(&texts, 2);
    // 本 地 企 业 本地 地企 企业 地企业 occur in two texts or more; 外, 外地… once.
    assert_eq!(v.len(), 8);
    let row = v.transform(&chars("本地企业本地"));
    let norm: f32 = row.iter().map(|(_, x)| x * x).sum();
    assert!((norm - 1.0).abs() < 1e-5);
    assert!(row.windows(2).all(|w| w[0].0 < w[1].0));
}

fn toy() -> Vec<Example> {
    let texts = [
        ("限定购买本地企业产品", Some((8, 3))),
        ("只能购买指定企业的产品", Some((8, 3))),
        ("限定使用本地企业的服务", Some((8, 3))),
        ("对外地企业设置歧视性收费", Some((9, 2))),
        ("外地企业须另行缴纳费用", Some((9, 2))),
        ("外地企业收取额外保证金", Some((9, 2))),
        ("加强安全生产宣传教育", None),
        ("做好统计监测分析工作", None),
        ("加强组织领导压实责任", None),
    ];
    texts
        .iter()
        .map(|&(t, label)| Example {
            text: t.to_string(),
            label,
            source: Source::Labeled,
            document: None,
        })
        .collect()
}

fn toy_model() -> Model {
    fit(
        &toy(),
        &[(0, 0), (8, 3), (9, 2)],
        train::Settings::default(),
    )
}

#[test]
fn trainer_separates_a_small_separable_set() {
    let model = toy_model();
    for e in toy() {
        let (score, item) = model.score(&e.text, &[]);
        match e.label {
            Some(label) => {
                assert!(score > 0.5, "{}: {score}", e.text);
                assert_eq!(item, label, "{}", e.text);
            }
            None => assert!(score < 0.5, "{}: {score}", e.text),
        }
    }
}

#[test]
fn model_file_round_trips() {
    let model = toy_model();
    let bytes = model.to_bytes();
    let loaded = Model::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.classes, model.classes);
    assert_eq!(loaded.vectorizer, model.vectorizer);
    // Weights are quantised once; a second trip changes nothing.
    assert_eq!(loaded.to_bytes(), bytes);
    for e in toy() {
        let (a, _) = model.score(&e.text, &[]);
        let (b, _) = loaded.score(&e.text, &[]);
        assert!((a - b).abs() < 1e-3);
    }
    assert!(Model::from_bytes(b"not a model").is_err());
    assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn training_is_deterministic() {
    assert_eq!(toy_model().to_bytes(), toy_model().to_bytes());
}

#[test]
fn embedded_model_loads_with_its_settings() {
    let opinion = RuleSet::embedded()
        .second_opinion()
        .expect("the model is embedded");
    assert_eq!(opinion.model.classes.len(), 20);
    assert!(opinion.settings.threshold > 0.0 && opinion.settings.threshold < 1.0);
    assert!(opinion.model.to_bytes().len() < 2 * 1024 * 1024);
}

/// A grant of franchise the rule packs do not catch (round 1).
pub const MISSED_BY_RULES: &str =
    "本市机动车安全技术检验服务纳入特许经营管理，新设检验机构须先取得市政府授予的特许经营权。";

#[test]
fn a_model_finding_carries_citation_evidence_and_chinese_text() {
    let text = format!("第一条 为规范管理，制定本办法。\n第二条 {MISSED_BY_RULES}");
    let rules = RuleSet::load(&[]).unwrap();
    let found = rules.evaluate_text(&text);
    let f = found
        .iter()
        .find(|f| f.rule == super::RULE_ID)
        .expect("the model reports the clause");
    assert_eq!((f.article, f.item), (8, 2));
    assert_eq!(f.level, crate::review::Level::Suggestion);
    assert_eq!(f.clause, "第二条");
    assert!(f.text.ends_with(MISSED_BY_RULES), "{}", f.text);
    assert_eq!(f.evidence.len(), 3);
    assert!(f.evidence.iter().all(|e| e.chars().count() >= 2));
    assert!(
        f.explanation.contains("第八条第（二）项")
            && f.explanation.contains("违法设置或者授予特许经营权")
    );
    assert!(f.suggestion.contains("核实"));
    assert!(f.confidence >= rules.second_opinion().unwrap().settings.threshold);
    // The rules alone say nothing; without the model nothing is reported.
    assert!(rules.evaluate_rules_text(&text).is_empty());
    let rules_only = RuleSet::load(&[]).unwrap().without_model();
    assert!(rules_only.evaluate_text(&text).is_empty());
    assert_ne!(rules_only.version, rules.version);
}

#[test]
fn ngrams_are_visited_as_a_whole_text_automaton_reports_them() {
    let texts = [
        chars("本地企业享受补贴"),
        chars("外地企业不享受补贴"),
        chars("本地企业𠀋补贴"),
        chars("𠀋补贴企业"),
    ];
    let v = Vectorizer::fit(&texts, 2);
    let automaton =
        crate::automaton::Automaton::new(v.keys.iter().map(|&k| unpack(k))).expect("automaton");
    for text in [
        "本地企业享受补贴本地",
        "外地𠀋补贴企业企",
        "x",
        "",
        "企业企业企业",
    ] {
        let mut expected = Vec::new();
        for (_, _, j) in automaton.overlapping(text) {
            if !expected.contains(&j) {
                expected.push(j);
            }
        }
        let mut visited = Vec::new();
        v.visit(&chars(text), |j, _| visited.push(j));
        assert_eq!(visited, expected, "{text}");
    }
}

/// Document furniture is never scored, while the same words as a measure are.
#[test]
fn the_second_opinion_skips_document_furniture() {
    let rules = RuleSet::load(&[]).unwrap();
    let measure = MISSED_BY_RULES.trim_end_matches('。');
    let label = "本市检验服务纳入特许经营管理";
    let head = "第一条 为规范管理，制定本办法。";
    let model_findings = |text: &str| {
        rules
            .evaluate_text(text)
            .into_iter()
            .filter(|f| f.rule == super::RULE_ID)
            .count()
    };
    for (furniture, measure) in [
        // A lead-in or addressee line ending in a colon.
        (
            format!("{head}\n第二条 {measure}：\n第三条 加强管理。"),
            format!("{head}\n第二条 {measure}。"),
        ),
        // An attachment note.
        (
            format!("{head}\n附件：{measure}"),
            format!("{head}\n第二条 {measure}。"),
        ),
        // A short label without punctuation (heading, table cell).
        (
            format!("{head}\n{label}"),
            format!("{head}\n第二条 {label}。"),
        ),
    ] {
        assert_eq!(model_findings(&furniture), 0, "{furniture}");
        assert_eq!(model_findings(&measure), 1, "{measure}");
    }
}

/// A list item that names no one is read with its lead-in, which does.
#[test]
fn a_list_item_is_read_with_its_lead_in() {
    let rules = RuleSet::load(&[]).unwrap();
    let head = "第一条 为规范管理，制定本办法。";
    let item = "（一）免于缴纳履约保证金。";
    let model_findings = |text: &str| {
        rules
            .evaluate_text(text)
            .into_iter()
            .filter(|f| f.rule == super::RULE_ID)
            .collect::<Vec<_>>()
    };
    let listed = format!("{head}\n第二条 对市交通集团下属的停车运营公司给予以下支持：\n{item}");
    let found = model_findings(&listed);
    assert_eq!(found.len(), 1, "{listed}");
    assert_eq!(found[0].clause, "第二条第（一）项");
    assert!(found[0].text.ends_with("免于缴纳履约保证金。"));
    // The same item under a lead-in that is not a list, or alone, says nothing.
    assert!(model_findings(&format!("{head}\n第二条 {item}")).is_empty());
}

/// A table cell is read with the sentence that introduces the table.
#[test]
fn a_table_cell_is_read_with_the_tables_lead_in() {
    use crate::extract::{BlockKind, text::TextBuilder};
    let rules = RuleSet::load(&[]).unwrap();
    let model_findings = |lead: &str| {
        let mut b = TextBuilder::new();
        b.push(
            BlockKind::Paragraph,
            "第一条 为规范管理，制定本办法。",
            None,
            Some(0),
        );
        b.push(BlockKind::Paragraph, lead, None, Some(1));
        // Alone the cell is an ordinary subsidy rate; the lead-in gives it
        // to one named company.
        for cell in ["支持内容", "按投资额的10%给予补助。"] {
            b.push(BlockKind::TableCell, cell, None, Some(2));
        }
        let doc = crate::document::Document::from_extracted(b.finish());
        rules
            .evaluate(&doc, crate::segment::Segmenter::global())
            .into_iter()
            .filter(|f| f.rule == super::RULE_ID)
            .map(|f| f.text)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        model_findings("第二条 对市交通集团下属的停车运营公司给予下表所列支持："),
        ["按投资额的10%给予补助。"]
    );
    assert!(model_findings("第二条 加强停车设施管理。").is_empty());
}

/// A sentence that reports, forbids or clears up a measure is not one; a
/// prohibition laid on operators may be.
#[test]
fn the_second_opinion_skips_sentences_about_measures() {
    let rules = RuleSet::load(&[]).unwrap();
    let model_findings = |sentence: &str| {
        let text = format!("第一条 为规范管理，制定本办法。\n第二条 {sentence}");
        rules
            .evaluate_text(&text)
            .into_iter()
            .filter(|f| f.rule == super::RULE_ID)
            .count()
    };
    let measure = MISSED_BY_RULES.trim_end_matches('。');
    assert_eq!(model_findings(MISSED_BY_RULES), 1);
    for about in [
        format!("此次督查发现的问题主要包括：{measure}。"),
        format!("某县曾规定{measure}，该做法已被责令纠正。"),
    ] {
        assert_eq!(model_findings(&about), 0, "{about}");
    }
    // Saying that outside and local operators are treated alike is not a
    // measure against either, though its words are those of one — unless a
    // contrast then sets a condition of its own.
    let alike = "评价办法对本市企业和市外企业在本市的分支机构同等对待。";
    let opinion = rules.second_opinion().unwrap();
    let catch_all = super::catch_all_items(&rules.standards);
    assert!(opinion.model.score(alike, &catch_all).0 >= opinion.settings.threshold);
    assert_eq!(model_findings(alike), 0);
    let but = "评价办法对本市企业和市外企业在本市的分支机构同等对待，但市外企业的分支机构须在本市缴纳税收满三年。";
    assert!(!rules.evaluate_text(but).is_empty());
}

/// Conditions on persons (a lead-in naming them) are not scored either.
#[test]
fn items_of_a_list_about_persons_are_not_scored() {
    let rules = RuleSet::load(&[]).unwrap();
    let item = "（一）在本市连续缴纳社会保险六个月以上；";
    let findings = |lead: &str| {
        rules
            .evaluate_text(&format!(
                "第一条 为规范管理，制定本办法。\n第二条 {lead}\n{item}"
            ))
            .len()
    };
    assert!(findings("申请物流补贴的企业应当同时符合下列条件：") > 0);
    assert_eq!(findings("申请人才公寓应当同时符合下列条件："), 0);
}

/// A rule names the mechanism (a named operator); the model, reading the
/// whole sentence, places an operating right granted without competition
/// under Article 8 item 2, and the explanation says why the item changed.
#[test]
fn a_rule_finding_takes_the_item_the_model_reads() {
    let rules = RuleSet::load(&[]).unwrap();
    let grant = "全县农村供水工程的建设和运营统一交由县水利发展公司负责，运营期限二十五年，期间不再引入其他运营主体。";
    let alone = rules.evaluate_rules_text(grant);
    assert_eq!(alone.len(), 1, "{alone:?}");
    assert_eq!((alone[0].article, alone[0].item), (8, 3));
    let found = rules.evaluate_text(grant);
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!((f.article, f.item), (8, 2));
    assert_eq!(f.rule, alone[0].rule);
    assert!(f.explanation.starts_with(&alone[0].explanation));
    assert!(
        f.explanation.contains("通常归入第八条第（三）项")
            && f.explanation.contains("更符合第八条第（二）项"),
        "{}",
        f.explanation
    );
    // Where the model agrees with the rule, nothing is added.
    let agreed = "申报企业须在本区注册登记，方可享受本办法规定的租金补贴。";
    let found = rules.evaluate_text(agreed);
    assert!(!found.is_empty());
    for f in found {
        assert!(!f.explanation.contains("通常归入"), "{}", f.explanation);
    }
}

/// When another rule already reports the model's item for the sentence, the
/// reclassified finding gives way: one finding per sentence and item.
#[test]
fn a_reclassified_finding_gives_way_to_a_rule_of_that_item() {
    let rules = RuleSet::load(&[]).unwrap();
    let grant =
        "县城区生活垃圾收运处置项目的投资、建设和运营交由县城投环境公司一家承担，经营期限三十年。";
    let alone = rules.evaluate_rules_text(grant);
    let items: Vec<(u8, u8)> = alone.iter().map(|f| (f.article, f.item)).collect();
    assert_eq!(items, [(8, 2), (8, 3)], "{alone:?}");
    let found = rules.evaluate_text(grant);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].article, found[0].item), (8, 2));
    assert_eq!(found[0].rule, alone[0].rule);
    assert!(!found[0].explanation.contains("通常归入"));
}

/// A cell naming only a condition is a label on its own; its row, read
/// after the headers, says that the condition decides a subsidy. The finding
/// sits on the cell holding the evidence.
#[test]
fn a_table_row_is_read_with_its_headers() {
    let rules = RuleSet::load(&[]).unwrap();
    let rows = [
        ["产品类别", "补贴比例", "单件上限"],
        ["本县企业生产的节能灶具", "20%", "800元"],
        ["其他节能灶具", "10%", "400元"],
    ];
    let model_findings = |positions: bool| {
        let doc = crate::document::tables::tests::table_document(&rows, positions);
        rules
            .evaluate(&doc, crate::segment::Segmenter::global())
            .into_iter()
            .filter(|f| f.rule == super::RULE_ID)
            .collect::<Vec<_>>()
    };
    let found = model_findings(true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "本县企业生产的节能灶具");
    assert_eq!(found[0].article, 9);
    // Cells that do not say where they stand are read one by one.
    assert!(model_findings(false).is_empty());
}

/// A cell is reported whole: a cell giving one rate for local products and
/// another for the rest is one finding, not a finding on its first sentence.
#[test]
fn a_table_row_finding_covers_the_whole_cell() {
    let rules = RuleSet::load(&[]).unwrap();
    let rows = [
        ["产品类别", "补贴比例", "单件上限"],
        [
            "节能灶具",
            "本县企业生产的补贴20%；\n其他企业生产的补贴10%",
            "800元",
        ],
        ["其他节能产品", "10%", "400元"],
    ];
    let doc = crate::document::tables::tests::table_document(&rows, true);
    let found: Vec<_> = rules
        .evaluate(&doc, crate::segment::Segmenter::global())
        .into_iter()
        .filter(|f| f.rule == super::RULE_ID)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].article, 9);
    assert_eq!(doc.slice(found[0].start, found[0].end), found[0].text);
    assert!(
        found[0].text.starts_with("本县企业生产的"),
        "{}",
        found[0].text
    );
    assert!(
        found[0].text.ends_with("其他企业生产的补贴10%"),
        "{}",
        found[0].text
    );
}
