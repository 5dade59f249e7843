//! The page frame: head, navigation bar, main content, foot.

use super::push_esc;

/// Which navigation entry is highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Check,
    Review,
    Batches,
    Search,
    Rules,
    None,
}

const ENTRIES: [(Nav, &str, &str); 5] = [
    (Nav::Check, "/check", "检查"),
    (Nav::Review, "/reviews", "审查"),
    (Nav::Batches, "/batches", "批次"),
    (Nav::Search, "/search", "检索"),
    (Nav::Rules, "/rules", "规则"),
];

/// A whole page around `body` (already HTML).
pub fn frame(title: &str, active: Nav, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    push_esc(&mut out, title);
    out.push_str(" · 公平竞争审查工作台</title>\n");
    out.push_str("<link rel=\"stylesheet\" href=\"/assets/style.css\">\n");
    out.push_str("<script src=\"/assets/app.js\" defer></script>\n</head>\n<body>\n");
    out.push_str(
        "<header class=\"top\"><a class=\"brand\" href=\"/check\">公平竞争审查工作台</a><nav>",
    );
    for (nav, href, label) in ENTRIES {
        let class = if nav == active {
            " class=\"active\""
        } else {
            ""
        };
        out.push_str(&format!("<a href=\"{href}\"{class}>{label}</a>"));
    }
    out.push_str("</nav></header>\n<main>\n");
    out.push_str(body);
    out.push_str(
        "\n</main>\n<footer>fairscan 公平竞争审查 · 结果为辅助提示，结论由审查机构作出</footer>\n</body>\n</html>\n",
    );
    out
}
