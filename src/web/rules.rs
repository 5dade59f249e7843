//! 规则: the standards catalogue (items of Articles 8–11 with their 具体情形)
//! and the rule packs under each item, with the examples each rule must flag
//! or pass.

use std::fmt::Write as _;

use axum::extract::State;
use axum::response::Html;
use serde_json::{Value, json};

use super::views::layout::{Nav, frame};
use super::views::{esc, item_citation, level_class, push_esc};
use super::{AppState, Inner, WebError, blocking};
use crate::rules::pack::RuleSpec;
use crate::rules::standards::group_name;

pub async fn page(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    blocking(&state, |s| Ok(Html(render(s)))).await
}

fn rules_of(s: &Inner, article: u8, item: u8) -> Vec<&RuleSpec> {
    s.config
        .rules
        .rules()
        .filter(|r| r.article == article && r.item == item)
        .collect()
}

fn render(s: &Inner) -> String {
    let standards = &s.config.rules.standards;
    let total = s.config.rules.rules().count();
    let mut body = format!(
        "<h1>审查标准与规则</h1><p class=\"muted\">《公平竞争审查条例》第八条至第十一条共 {} 项标准，{} 条规则（标准目录版本 {}）。每条规则附有应当提示和不应提示的示例句，规则修改后须全部通过。</p>",
        standards.item.len(),
        total,
        esc(&standards.version)
    );
    body.push_str("<nav class=\"toc\">");
    for it in &standards.item {
        let _ = write!(
            body,
            "<a href=\"#i{}-{}\">{}</a> ",
            it.article,
            it.item,
            item_citation(it.article, it.item)
        );
    }
    body.push_str("</nav>");
    let mut group = "";
    for it in &standards.item {
        if it.group != group {
            group = &it.group;
            let _ = write!(body, "<h2>{}</h2>", group_name(group));
        }
        let rules = rules_of(s, it.article, it.item);
        let _ = write!(
            body,
            "<section class=\"standard\" id=\"i{}-{}\"><h3>{} ",
            it.article,
            it.item,
            item_citation(it.article, it.item)
        );
        push_esc(&mut body, &it.title);
        let _ = write!(
            body,
            " <span class=\"count\">{} 条规则</span></h3>",
            rules.len()
        );
        if it.legal_basis_gate {
            body.push_str(
                "<p class=\"muted\">仅在没有法律、行政法规依据或未经国务院批准时构成问题。</p>",
            );
        }
        let situations: Vec<_> = standards.situations_for(it.article, it.item).collect();
        if !situations.is_empty() {
            body.push_str("<ul class=\"situations\">");
            for sit in situations {
                body.push_str("<li>");
                push_esc(&mut body, &sit.tag);
                body.push('：');
                push_esc(&mut body, &sit.title);
                body.push_str("</li>");
            }
            body.push_str("</ul>");
        }
        for r in rules {
            rule(&mut body, r);
        }
        body.push_str("</section>");
    }
    frame("规则", Nav::Rules, &body)
}

fn rule(out: &mut String, r: &RuleSpec) {
    let _ = write!(
        out,
        "<details class=\"rule\" id=\"rule-{}\"><summary><span class=\"badge {}\">{}</span> ",
        esc(&r.id),
        level_class(r.level),
        r.level.label()
    );
    push_esc(out, &r.title);
    out.push_str(" <code>");
    push_esc(out, &r.id);
    out.push_str("</code></summary><p><b>说明：</b>");
    push_esc(out, &r.explanation);
    out.push_str("</p><p><b>建议：</b>");
    push_esc(out, &r.suggestion);
    out.push_str("</p>");
    for (caption, class, list) in [
        ("应当提示的示例", "flag", &r.examples.flag),
        ("不应提示的示例", "pass", &r.examples.pass),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<p class=\"examples-caption\">{caption}</p><ul class=\"examples {class}\">"
        );
        for e in list {
            out.push_str("<li>");
            push_esc(out, e);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</details>");
}

/// The same catalogue as JSON.
pub fn json(s: &Inner) -> Value {
    let standards = &s.config.rules.standards;
    let items: Vec<Value> = standards
        .item
        .iter()
        .map(|it| {
            let rules: Vec<Value> = rules_of(s, it.article, it.item)
                .into_iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "title": r.title,
                        "level": r.level,
                        "tag": r.tag,
                        "explanation": r.explanation,
                        "suggestion": r.suggestion,
                        "examples": { "flag": r.examples.flag, "pass": r.examples.pass },
                    })
                })
                .collect();
            json!({
                "article": it.article,
                "item": it.item,
                "group": it.group,
                "title": it.title,
                "rules": rules,
            })
        })
        .collect();
    json!({ "version": standards.version, "rules_version": s.config.rules.version, "items": items })
}
