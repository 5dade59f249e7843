//! Who may talk to the workbench. With a token (`--token` or FAIRSCAN_TOKEN)
//! every request must carry it: `Authorization: Bearer …`, or the cookie a
//! browser gets by opening any page once with `?token=…`. Without a token
//! the server is bound to loopback and answers only loopback host names
//! (a web page elsewhere cannot reach it by renaming itself). Cross-site
//! form posts are refused either way.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, LOCATION, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::{ApiError, WebError};

pub const COOKIE_NAME: &str = "fairscan_token";

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = check(&state, req, next).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Sent with every answer: no inline or foreign script, no framing.
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

async fn check(state: &AppState, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let refuse = |e: WebError| {
        if api {
            ApiError(e).into_response()
        } else {
            e.into_response()
        }
    };
    let headers = req.headers();
    if !matches!(*req.method(), Method::GET | Method::HEAD) && cross_site(headers) {
        return refuse(WebError::forbidden("拒绝来自其他网站的提交"));
    }
    let Some(token) = state.config.token.as_deref() else {
        if let Some(host) = header(headers, HOST)
            && !loopback_host(host)
        {
            return refuse(WebError::forbidden(
                "未设置访问令牌时只接受本机地址（localhost、127.0.0.1）的访问",
            ));
        }
        return next.run(req).await;
    };
    if bearer(headers).is_some_and(|t| same(t, token))
        || cookie(headers, COOKIE_NAME).is_some_and(|t| same(t, token))
    {
        return next.run(req).await;
    }
    if let Some(given) = query_token(req.uri().query())
        && same(&given, token)
        && *req.method() == Method::GET
    {
        return remember(req.uri().path(), req.uri().query(), token);
    }
    refuse(WebError::new(
        StatusCode::UNAUTHORIZED,
        "需要访问令牌：在地址后加 ?token=令牌 打开一次，或在请求头中加 Authorization: Bearer 令牌",
    ))
}

/// Sets the cookie and sends the browser to the same address without the token.
fn remember(path: &str, query: Option<&str>, token: &str) -> Response {
    let rest: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("token="))
        .collect();
    // Never `//host/…`: that would send the browser to another site.
    let path = if path.starts_with("//") { "/" } else { path };
    let location = if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", rest.join("&"))
    };
    let cookie = format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict");
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, location), (SET_COOKIE, cookie)],
    )
        .into_response()
}

fn header(headers: &HeaderMap, name: axum::http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    header(headers, AUTHORIZATION)?.strip_prefix("Bearer ")
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

fn query_token(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .map(percent_decode)
}

/// `%XX` and `+` decoding of a query value (a token may hold any character).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Compares without stopping at the first difference.
fn same(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A post whose `Origin` names another host than the one it was sent to.
fn cross_site(headers: &HeaderMap) -> bool {
    let Some(origin) = header(headers, ORIGIN) else {
        return false;
    };
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    header(headers, HOST).is_none_or(|host| !origin_host.eq_ignore_ascii_case(host))
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
pub fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(h, _)| h)
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_and_without_ports() {
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:1",
            "[::1]:80",
            "[::1]",
        ] {
            assert!(loopback_host(ok), "{ok}");
        }
        for bad in ["evil.example", "10.0.0.1:80", "localhost.evil.example:80"] {
            assert!(!loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn the_token_redirect_stays_on_this_site() {
        let res = remember("//evil.example/x", Some("token=t&a=1"), "t");
        assert_eq!(res.headers()[LOCATION], "/?a=1");
        let res = remember("/search", Some("q=%E5%AE%A1&token=t"), "t");
        assert_eq!(res.headers()[LOCATION], "/search?q=%E5%AE%A1");
    }

    #[test]
    fn tokens_compare_exactly_and_decode_from_queries() {
        assert!(same("abc", "abc"));
        assert!(!same("abd", "abc"));
        assert!(!same("ab", "abc"));
        assert_eq!(query_token(Some("a=1&token=x%2By+z")), Some("x+y z".into()));
        assert_eq!(query_token(Some("a=1")), None);
    }
}
