//! 批次: batches with their counts and charts (by group, item, issuer,
//! year). A batch can be started on a server folder only inside a root
//! allow-listed with `--allow-root`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::response::{Html, Redirect};
use serde::{Deserialize, Serialize};

use super::review::{documents_table, parse_id};
use super::views::charts::{Bar, bar_chart};
use super::views::layout::{Nav, frame};
use super::views::{item_citation, item_title, level_badges, push_esc};
use super::{AppState, Inner, WebError, blocking, paths};
use crate::review::Level;
use crate::rules::standards::group_name;
use crate::scan;
use crate::store::{BatchCounts, BatchRow, FindingFact};

/// Batches listed on the page.
const LISTED: usize = 100;
/// Rows of the item chart.
const TOP_ITEMS: usize = 15;

#[derive(Debug, Clone, Deserialize)]
pub struct StartInput {
    pub folder: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Started {
    pub id: i64,
    pub files: usize,
    pub url: String,
}

pub async fn list(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    blocking(&state, |s| {
        let (batches, facts) = {
            let store = s.store();
            let batches = store.batches(LISTED).map_err(WebError::internal)?;
            let facts = store.finding_facts(None).map_err(WebError::internal)?;
            (batches, facts)
        };
        let mut body = String::from("<h1>批次</h1>");
        start_form(&mut body, s);
        body.push_str("<h2>全部审查记录的统计</h2>");
        charts(&mut body, s, &facts);
        body.push_str("<h2>批次列表</h2>");
        if batches.is_empty() {
            body.push_str("<p class=\"muted\">还没有批次。</p>");
        } else {
            batch_table(&mut body, &batches);
        }
        Ok(Html(frame("批次", Nav::Batches, &body)))
    })
    .await
}

fn start_form(out: &mut String, s: &Inner) {
    if s.roots.is_empty() {
        out.push_str("<p class=\"muted\">未配置允许的服务器目录，只能在<a href=\"/check\">检查</a>页上传文件（启动时用 <code>--allow-root 目录</code> 允许对服务器上的文件夹批量审查）。</p>");
        return;
    }
    out.push_str("<form class=\"start\" method=\"post\" action=\"/batches\"><label>服务器上的文件夹：<input type=\"text\" name=\"folder\" required placeholder=\"相对于允许的目录，或完整路径\"></label> <button type=\"submit\">开始批量审查</button></form><p class=\"muted\">允许的目录：");
    for (k, r) in s.roots.iter().enumerate() {
        if k > 0 {
            out.push('、');
        }
        out.push_str("<code>");
        push_esc(out, &r.display().to_string());
        out.push_str("</code>");
    }
    out.push_str("</p>");
}

fn batch_table(out: &mut String, batches: &[BatchRow]) {
    out.push_str("<table class=\"list\"><thead><tr><th>批次</th><th>开始时间</th><th>对象</th><th>文件</th><th>未能读取</th><th>问题</th></tr></thead><tbody>");
    for b in batches {
        let _ = write!(
            out,
            "<tr><td><a href=\"/batches/{}\">#{}</a>{}</td><td>",
            b.id,
            b.id,
            if b.finished_at.is_none() {
                " <span class=\"badge running\">进行中</span>"
            } else {
                ""
            }
        );
        push_esc(out, &b.started_at);
        out.push_str("</td><td>");
        inputs(out, &b.inputs);
        let _ = write!(
            out,
            "</td><td>{}</td><td>{}</td><td>",
            b.counts.files, b.counts.failed
        );
        level_badges(out, b.findings);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

fn inputs(out: &mut String, inputs: &[String]) {
    let shown: Vec<&str> = inputs.iter().take(3).map(String::as_str).collect();
    push_esc(out, &shown.join("、"));
    if inputs.len() > 3 {
        let _ = write!(out, " 等 {} 个", inputs.len());
    }
}

/// Charts by group, item, issuer and year, stacked by level.
pub fn charts(out: &mut String, s: &Inner, facts: &[FindingFact]) {
    let standards = &s.config.rules.standards;
    out.push_str("<div class=\"charts\">");
    let by_group = tally(facts, |f| {
        standards
            .item(f.article, f.item)
            .map_or("其他", |i| group_name(&i.group))
            .to_string()
    });
    bar_chart(out, "group", "按审查标准类别", &by_group);
    let mut by_item = tally(facts, |f| {
        format!(
            "{} {}",
            item_citation(f.article, f.item),
            item_title(standards, f.article, f.item)
        )
    });
    by_item.truncate(TOP_ITEMS);
    bar_chart(out, "item", "按条目（前 15 项）", &by_item);
    let by_issuer = tally(facts, |f| {
        f.issuer
            .clone()
            .filter(|i| !i.is_empty())
            .unwrap_or_else(|| "（未识别发文机关）".into())
    });
    bar_chart(out, "issuer", "按发文机关", &by_issuer);
    let mut by_year = tally(facts, |f| {
        f.date
            .as_deref()
            .and_then(|d| d.get(..4))
            .map_or_else(|| "（无日期）".to_string(), |y| format!("{y} 年"))
    });
    by_year.sort_by(|a, b| a.label.cmp(&b.label));
    bar_chart(out, "year", "按年份", &by_year);
    out.push_str("</div>");
}

/// Counts by level per category, largest first.
fn tally(facts: &[FindingFact], key: impl Fn(&FindingFact) -> String) -> Vec<Bar> {
    let mut map: HashMap<String, [usize; 3]> = HashMap::new();
    for f in facts {
        let slot = match f.level {
            Level::Error => 0,
            Level::Warning => 1,
            Level::Suggestion => 2,
        };
        if let Some(c) = map.entry(key(f)).or_default().get_mut(slot) {
            *c += 1;
        }
    }
    let mut bars: Vec<Bar> = map
        .into_iter()
        .map(|(label, counts)| Bar { label, counts })
        .collect();
    bars.sort_by(|a, b| {
        let total = |x: &Bar| x.counts.iter().sum::<usize>();
        total(b).cmp(&total(a)).then(a.label.cmp(&b.label))
    });
    bars
}

pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let id = parse_id(&id)?;
    blocking(&state, move |s| {
        let (batch, docs, facts) = {
            let store = s.store();
            let batch = store
                .batch(id)
                .map_err(WebError::internal)?
                .ok_or_else(|| WebError::not_found(format!("没有编号为 {id} 的批次")))?;
            let docs = store.documents_in(Some(id)).map_err(WebError::internal)?;
            let facts = store.finding_facts(Some(id)).map_err(WebError::internal)?;
            (batch, docs, facts)
        };
        let mut body = format!("<h1>批次 #{id}</h1><dl class=\"meta\"><dt>开始时间</dt><dd>");
        push_esc(&mut body, &batch.started_at);
        body.push_str("</dd><dt>结束时间</dt><dd>");
        match &batch.finished_at {
            Some(t) => push_esc(&mut body, t),
            None => {
                body.push_str("<span class=\"badge running\">进行中</span>（刷新页面查看进度）")
            }
        }
        body.push_str("</dd><dt>对象</dt><dd>");
        inputs(&mut body, &batch.inputs);
        let _ = write!(
            body,
            "</dd><dt>文件</dt><dd>{}（未能读取 {}）</dd><dt>问题</dt><dd>",
            batch.counts.files.max(docs.len()),
            batch.counts.failed
        );
        level_badges(&mut body, batch.findings);
        body.push_str("</dd></dl>");
        charts(&mut body, s, &facts);
        let _ = write!(body, "<h2>文件（{}）</h2>", docs.len());
        documents_table(&mut body, &docs);
        Ok(Html(frame(&format!("批次 #{id}"), Nav::Batches, &body)))
    })
    .await
}

/// The form post: starts the batch and shows its page.
pub async fn start(
    State(state): State<AppState>,
    form: Result<Form<StartInput>, FormRejection>,
) -> Result<Redirect, WebError> {
    let Form(input) = form.map_err(|e| WebError::bad_request(format!("表单无法读取：{e}")))?;
    let started = begin(&state, &input.folder).await?;
    Ok(Redirect::to(&started.url))
}

/// Checks the folder, records the batch and reviews it in the background.
pub async fn begin(state: &AppState, folder: &str) -> Result<Started, WebError> {
    let folder = folder.to_string();
    let (id, files) = blocking(state, move |s| {
        let root =
            paths::resolve(&folder, &s.roots).map_err(|e| WebError::forbidden(e.to_string()))?;
        if !root.is_dir() {
            return Err(WebError::bad_request("请指定文件夹"));
        }
        // Symlinks inside the folder may point anywhere: keep only files inside a root.
        let files: Vec<PathBuf> = scan::collect_inputs(std::slice::from_ref(&root))
            .files
            .into_iter()
            .filter_map(|f| std::fs::canonicalize(f).ok())
            .filter(|f| paths::inside(f, &s.roots))
            .collect();
        let id = s
            .store()
            .begin_batch(&s.config.rules.version, &[root.display().to_string()])
            .map_err(WebError::internal)?;
        Ok((id, files))
    })
    .await?;
    let count = files.len();
    let state2 = state.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = run_batch(&state2, id, &files) {
            eprintln!("fairscan serve: 批次 {id} 未能完成：{e}");
        }
    });
    Ok(Started {
        id,
        files: count,
        url: format!("/batches/{id}"),
    })
}

/// Reviews the files one after another (uploads keep the other cores).
fn run_batch(s: &Inner, id: i64, files: &[PathBuf]) -> Result<(), WebError> {
    let mut counts = BatchCounts::default();
    for path in files {
        let (review, doc) = scan::review_file(path, &s.config.limits, s.config.rules);
        counts.files += 1;
        counts.analysed += 1;
        counts.failed += usize::from(review.error.is_some());
        s.store()
            .save_review(
                path,
                &review,
                doc.as_ref().map(|d| (d.text.as_str(), d.blocks.as_slice())),
                &s.config.rules.version,
                Some(id),
            )
            .map_err(WebError::internal)?;
        s.indexer.changed();
    }
    s.store()
        .finish_batch(id, counts)
        .map_err(WebError::internal)
}
