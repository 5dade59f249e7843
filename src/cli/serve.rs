//! `fairscan serve`: the local web workbench (see `crate::web`).

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::{DataArgs, EXIT_CLEAN, EXIT_TROUBLE, LimitArgs};
use crate::limits::MB;
use crate::rules::RuleSet;
use crate::web::{self, AppState, Config};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; any other needs a token).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: SocketAddr,
    /// Access token required on every request (letters, digits, - _ . ~).
    #[arg(long, env = "FAIRSCAN_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// A server folder batches may be started on (repeatable; none: off).
    #[arg(long = "allow-root", value_name = "DIR")]
    pub allow_roots: Vec<PathBuf>,
    /// Largest upload (all files of one request), in MB.
    #[arg(long, default_value_t = web::DEFAULT_MAX_UPLOAD_MB, value_name = "MB")]
    pub max_upload_mb: u64,
    /// Extra rule packs (folders of .toml files) added to the embedded ones.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Why the server may not start as asked (in Chinese), if it may not.
pub fn refusal(addr: &SocketAddr, token: Option<&str>) -> Option<String> {
    match token {
        Some("") => Some("访问令牌不能为空".into()),
        Some(t)
            if !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')) =>
        {
            Some("访问令牌只能由字母、数字和 - _ . ~ 组成".into())
        }
        None if !addr.ip().is_loopback() => Some(format!(
            "监听非本机地址 {addr} 时必须设置访问令牌：用 --token 令牌 或环境变量 FAIRSCAN_TOKEN"
        )),
        _ => None,
    }
}

pub fn serve(args: ServeArgs) -> io::Result<u8> {
    if let Some(why) = refusal(&args.addr, args.token.as_deref()) {
        eprintln!("fairscan: {why}");
        return Ok(EXIT_TROUBLE);
    }
    let rules: &'static RuleSet = if args.rules.is_empty() {
        RuleSet::embedded()
    } else {
        let set = RuleSet::load(&args.rules)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        // Lives as long as the server: leaked once, on purpose.
        Box::leak(Box::new(set))
    };
    let config = Config {
        data: args.data.dir.clone(),
        token: args.token.clone(),
        allow_roots: args.allow_roots.clone(),
        max_upload_bytes: args.max_upload_mb.max(1).saturating_mul(MB),
        limits: args.limits.to_limits(),
        rules,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let state = match AppState::open(config) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("fairscan: {e}");
                return Ok(EXIT_TROUBLE);
            }
        };
        // Load the dictionaries before the first upload waits for them.
        let _ = tokio::task::spawn_blocking(crate::segment::Segmenter::global).await;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| io::Error::new(e.kind(), format!("无法监听 {}：{e}", args.addr)))?;
        let local = listener.local_addr()?;
        println!(
            "fairscan 工作台已启动：http://{local}/ （数据目录 {}；按 Ctrl+C 停止）",
            args.data.dir.display()
        );
        axum::serve(listener, web::app(state.clone()))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        // Commit what the index still lacks (it would also catch up at the next start).
        let _ = tokio::task::spawn_blocking(move || state.flush_index()).await;
        Ok(EXIT_CLEAN)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_addresses_need_a_token() {
        let lo: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(refusal(&lo, None), None);
        assert!(refusal(&any, None).is_some());
        assert_eq!(refusal(&any, Some("s3cret-token")), None);
        assert!(refusal(&any, Some("")).is_some());
        assert!(refusal(&lo, Some("a;b")).is_some());
    }
}
