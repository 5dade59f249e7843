//! `fairscan search` and `fairscan reindex`: the search index over the store.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use clap::Args;

use super::review::store_error;
use super::{DataArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE, FailLevel};
use crate::index::{Filters, IndexError, SearchIndex};
use crate::report::search::{write_jsonl, write_text};
use crate::store::{DATABASE_FILE, Status, Store};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SearchFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find: plain Chinese, "quoted phrase", -excluded, OR, AND, title:…
    #[arg(default_value = "")]
    pub query: String,
    /// Only findings of this article of the regulation (8–11).
    #[arg(long, value_parser = clap::value_parser!(u8).range(8..=11))]
    pub article: Option<u8>,
    /// Only findings of this item (with --article).
    #[arg(long, requires = "article")]
    pub item: Option<u8>,
    #[arg(long, value_enum)]
    pub level: Option<FailLevel>,
    #[arg(long, value_enum)]
    pub status: Option<Status>,
    /// Only documents of this issuer (words of its name).
    #[arg(long)]
    pub issuer: Option<String>,
    /// Documents dated on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Documents dated on or before (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
    /// Hits shown of each kind (documents, findings).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Opens the store and the index, bringing the index up to date.
pub fn open(data: &DataArgs) -> io::Result<Option<(Store, SearchIndex)>> {
    if !data.dir.join(DATABASE_FILE).exists() {
        eprintln!(
            "fairscan: 数据目录 {} 中还没有审查记录：请先运行 fairscan scan",
            data.dir.display()
        );
        return Ok(None);
    }
    let store = Store::open(&data.dir).map_err(store_error)?;
    let index = SearchIndex::open(&data.dir).map_err(index_error)?;
    if index.sync(&store).map_err(index_error)?.is_none() {
        eprintln!("fairscan: 注意：索引正由其他进程更新，结果可能不含最新的审查记录");
    }
    Ok(Some((store, index)))
}

pub fn search(args: &SearchArgs) -> io::Result<u8> {
    let Some((_store, index)) = open(&args.data)? else {
        return Ok(EXIT_TROUBLE);
    };
    let filters = Filters {
        article: args.article,
        item: args.item,
        level: args
            .level
            .map(|l| crate::review::Level::from(l).as_str().to_string()),
        status: args.status.map(|s| s.as_str().to_string()),
        issuer: args.issuer.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
    };
    // Load the dictionaries first, so the time shown is the search's own.
    let _ = crate::segment::Segmenter::global();
    let results = match index.search(&args.query, &filters, args.limit) {
        Ok(r) => r,
        Err(e @ IndexError::Query(_)) => {
            eprintln!("fairscan: {e}");
            return Ok(EXIT_TROUBLE);
        }
        Err(e) => return Err(index_error(e)),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        SearchFormat::Text => write_text(&mut out, &results, io::stdout().is_terminal())?,
        SearchFormat::Jsonl => write_jsonl(&mut out, &results)?,
    }
    out.flush()?;
    Ok(if results.documents_total + results.findings_total > 0 {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

pub fn reindex(data: &DataArgs) -> io::Result<u8> {
    if !data.dir.join(DATABASE_FILE).exists() {
        eprintln!(
            "fairscan: 数据目录 {} 中还没有审查记录：请先运行 fairscan scan",
            data.dir.display()
        );
        return Ok(EXIT_TROUBLE);
    }
    let started = Instant::now();
    let store = Store::open(&data.dir).map_err(store_error)?;
    let index = SearchIndex::open(&data.dir).map_err(index_error)?;
    match index.rebuild(&store, 2).map_err(index_error)? {
        Some(n) => {
            println!(
                "已重建搜索索引：{n} 个文件，用时 {:.1} 秒，索引占用 {:.1} MB。",
                started.elapsed().as_secs_f64(),
                index.size_on_disk() as f64 / 1e6
            );
            Ok(EXIT_CLEAN)
        }
        None => {
            eprintln!("fairscan: 索引正由其他进程更新，请稍后再试");
            Ok(EXIT_TROUBLE)
        }
    }
}

pub fn index_error(e: IndexError) -> io::Error {
    io::Error::other(e.to_string())
}
