//! `fairscan review list|mark`: reviewers' decisions on stored findings.

use std::collections::BTreeSet;
use std::io::{self, Write};

use clap::Subcommand;

use super::search::open;
use super::{DataArgs, EXIT_CLEAN, EXIT_TROUBLE};
use crate::document::numerals::to_chinese;
use crate::store::{FindingRow, Status, Store};

/// Shortest fingerprint prefix accepted as an id.
const MIN_ID_CHARS: usize = 4;

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// List stored findings with their id and status.
    List {
        /// Only findings with this status.
        #[arg(long, value_enum)]
        status: Option<Status>,
        /// Only documents whose path contains this text.
        #[arg(long)]
        path: Option<String>,
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Record a decision on a finding (id: its fingerprint or a unique prefix).
    Mark {
        id: String,
        #[arg(long, value_enum)]
        status: Status,
        /// Why (required to dismiss).
        #[arg(long, default_value = "")]
        reason: String,
        /// Who decided (default: the login name).
        #[arg(long, env = "FAIRSCAN_REVIEWER")]
        reviewer: Option<String>,
        /// Only in documents whose path contains this text (default: every
        /// document with this finding).
        #[arg(long)]
        path: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
}

pub fn run(cmd: ReviewCommand) -> io::Result<u8> {
    match cmd {
        ReviewCommand::List {
            status,
            path,
            json,
            data,
        } => list(status, path.as_deref(), json, &data),
        ReviewCommand::Mark {
            id,
            status,
            reason,
            reviewer,
            path,
            data,
        } => {
            let reviewer = reviewer
                .or_else(|| std::env::var("USER").ok())
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| "未署名".into());
            mark(&id, status, &reason, &reviewer, path.as_deref(), &data)
        }
    }
}

fn status_of(
    store: &Store,
    row: &FindingRow,
) -> io::Result<(Status, Option<crate::store::Decision>)> {
    let d = store
        .decision(row.document_id, &row.fingerprint)
        .map_err(super::review::store_error)?;
    Ok((d.as_ref().map_or(Status::Open, |d| d.status), d))
}

fn list(status: Option<Status>, path: Option<&str>, json: bool, data: &DataArgs) -> io::Result<u8> {
    let Some((store, _)) = open(data)? else {
        return Ok(EXIT_TROUBLE);
    };
    let rows = store
        .findings_matching("")
        .map_err(super::review::store_error)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut shown = 0;
    for row in rows
        .iter()
        .filter(|r| path.is_none_or(|p| r.path.contains(p)))
    {
        let (st, decision) = status_of(&store, row)?;
        if status.is_some_and(|s| s != st) {
            continue;
        }
        shown += 1;
        let f = &row.finding;
        if json {
            let v = serde_json::json!({
                "id": row.fingerprint,
                "path": row.path,
                "title": row.title,
                "rule": f.rule,
                "article": f.article,
                "item": f.item,
                "level": f.level,
                "clause": f.clause,
                "text": f.text,
                "status": st.as_str(),
                "reason": decision.as_ref().map(|d| &d.reason),
                "reviewer": decision.as_ref().map(|d| &d.reviewer),
                "decided_at": decision.as_ref().map(|d| &d.decided_at),
            });
            writeln!(out, "{v}")?;
            continue;
        }
        writeln!(
            out,
            "{}  [{}] [{}] 第{}条第（{}）项  {}  {}",
            row.fingerprint,
            st.label(),
            f.level.label(),
            to_chinese(u32::from(f.article)),
            to_chinese(u32::from(f.item)),
            row.path,
            f.clause
        )?;
        writeln!(out, "    原文：{}", f.text)?;
        if let Some(d) = &decision {
            writeln!(
                out,
                "    决定：{}（{}，{}）",
                d.reason, d.reviewer, d.decided_at
            )?;
        }
    }
    if !json {
        writeln!(out, "共 {shown} 处。")?;
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}

fn mark(
    id: &str,
    status: Status,
    reason: &str,
    reviewer: &str,
    path: Option<&str>,
    data: &DataArgs,
) -> io::Result<u8> {
    let id = id.trim().to_ascii_lowercase();
    if id.chars().count() < MIN_ID_CHARS || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        eprintln!(
            "fairscan: 编号应为 fairscan review list 列出的问题编号（至少 {MIN_ID_CHARS} 位）"
        );
        return Ok(EXIT_TROUBLE);
    }
    if status == Status::Dismissed && reason.trim().is_empty() {
        eprintln!("fairscan: 驳回（dismissed）必须用 --reason 写明理由");
        return Ok(EXIT_TROUBLE);
    }
    let Some((mut store, index)) = open(data)? else {
        return Ok(EXIT_TROUBLE);
    };
    let rows: Vec<FindingRow> = store
        .findings_matching(&id)
        .map_err(super::review::store_error)?
        .into_iter()
        .filter(|r| path.is_none_or(|p| r.path.contains(p)))
        .collect();
    let fingerprints: BTreeSet<&str> = rows.iter().map(|r| r.fingerprint.as_str()).collect();
    if fingerprints.is_empty() {
        eprintln!("fairscan: 没有编号为 {id} 的问题");
        return Ok(EXIT_TROUBLE);
    }
    if fingerprints.len() > 1 {
        eprintln!(
            "fairscan: 编号 {id} 对应多个问题（{}），请写出更长的编号",
            fingerprints.into_iter().collect::<Vec<_>>().join("、")
        );
        return Ok(EXIT_TROUBLE);
    }
    let documents: BTreeSet<i64> = rows.iter().map(|r| r.document_id).collect();
    let fp = rows
        .first()
        .map(|r| r.fingerprint.clone())
        .unwrap_or_default();
    for doc in &documents {
        store
            .decide(*doc, &fp, status, reason, reviewer)
            .map_err(super::review::store_error)?;
    }
    if index
        .sync(&store)
        .map_err(super::search::index_error)?
        .is_none()
    {
        eprintln!("fairscan: 注意：索引正由其他进程更新，决定会在下次打开索引时反映到搜索中");
    }
    println!(
        "已将问题 {fp} 在 {} 个文件中标记为“{}”。",
        documents.len(),
        status.label()
    );
    Ok(EXIT_CLEAN)
}
