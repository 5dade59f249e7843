//! Text patterns of portal furniture: breadcrumbs, font-size and print
//! widgets, share bars, previous/next links, related-link lists and footers.
//!
//! These decide per line of text; element names (`class="nav"` …) are judged
//! in `dom.rs` before any text is read.

use std::sync::LazyLock;

use regex::Regex;

/// Widgets that sit inside otherwise useful lines (often the info line:
/// "发布时间：… 字号：大 中 小 【打印】"). They are cut out of the line.
static INLINE_WIDGETS: LazyLock<Regex> = LazyLock::new(|| {
    let open = r"[【\[［(（]?";
    let close = r"[】\]］)）]?";
    let sep = r"[\s|｜丨/·]*";
    let font_size = format!(
        r"{open}\s*(?:字号|字体)\s*[：:]?{sep}{open}\s*大\s*{close}{sep}{open}\s*中\s*{close}{sep}{open}\s*小\s*{close}\s*{close}"
    );
    let bracketed = r"[【\[［]\s*(?:打印(?:本页|此页|正文)?|关闭(?:窗口|本页)?|(?:加入)?收藏(?:本页)?|返回顶部|我要纠错|纠错|保存|复制链接)\s*[】\]］]";
    let share = r"分享到\s*[：:]?.{0,40}$";
    Regex::new(&format!("{font_size}|{bracketed}|{share}")).expect("static pattern compiles")
});

/// Lines that are furniture as a whole.
static WHOLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let location = r"^[【\[\s]*(?:当前位置|当前的位置|当前所在位置|您现在的位置|您的位置|您所在的位置|所在位置|现在位置)";
    let breadcrumb = r"首页\s*(?:>|＞|›|»|→|&gt;)";
    let prev_next = r"^[【\[\s]*(?:上一篇|下一篇|上一条|下一条|上一页|下一页)";
    let footer = r"版权所有|ICP\s*备|ICP\s*证|网站标识码|公网安备|网安备|Copyright|©|技术支持[：:]|主办(?:单位)?[：:].*(?:网站|ICP|标识码|备案|版权)";
    let phone = r"^\s*(?:扫一扫|手机扫码|在手机上打开|用微信扫描)";
    Regex::new(&format!(
        "(?i:{location}|{prev_next}|{phone})|(?i:{breadcrumb}|{footer})"
    ))
    .expect("static pattern compiles")
});

/// Headings that introduce a list of links to other pages.
static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[【\[\s]*(?:相关链接|相关文件|相关阅读|相关新闻|相关文章|相关稿件|相关信息|相关政策|相关解读|延伸阅读|扩展阅读|推荐阅读|热点推荐)[】\]\s]*[：:]?",
    )
    .expect("static pattern compiles")
});

/// Site-wide link rows ("网站地图 | 联系我们 | 设为首页").
const SITE_LINKS: &[&str] = &[
    "网站地图",
    "联系我们",
    "设为首页",
    "加入收藏",
    "使用帮助",
    "关于我们",
    "无障碍",
    "适老化",
    "English",
];

/// Lines longer than this are treated as prose whatever markers they contain.
const MAX_FURNITURE_CHARS: usize = 160;

/// Removes inline widgets; returns the line unchanged when there are none.
pub fn strip_widgets(line: &str) -> String {
    INLINE_WIDGETS.replace_all(line, " ").trim().to_string()
}

/// True for breadcrumbs, previous/next links, footers and phone-QR prompts,
/// and for lines with nothing left but punctuation.
pub fn is_furniture_line(line: &str) -> bool {
    if !line.chars().any(char::is_alphanumeric) {
        return true;
    }
    if line.chars().count() > MAX_FURNITURE_CHARS {
        return false;
    }
    WHOLE_LINE.is_match(line) || SITE_LINKS.iter().filter(|w| line.contains(*w)).count() >= 2
}

/// "相关链接：" and friends. Returns the rest of the line after the heading.
pub fn related_heading(line: &str) -> Option<&str> {
    RELATED_HEADING
        .find(line)
        .map(|m| line.get(m.end()..).unwrap_or_default().trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widgets_are_cut_from_info_lines() {
        let line = "发布时间：2024-03-01 来源：市发展改革委 【字号：大 中 小】 【打印】【关闭】";
        assert_eq!(
            strip_widgets(line),
            "发布时间：2024-03-01 来源：市发展改革委"
        );
        assert_eq!(strip_widgets("字号：[大] [中] [小]"), "");
        assert_eq!(strip_widgets("分享到：微信 微博 QQ空间"), "");
        assert_eq!(
            strip_widgets("第三条 不得限制外地企业参与投标。"),
            "第三条 不得限制外地企业参与投标。"
        );
    }

    #[test]
    fn furniture_lines_are_recognised() {
        for line in [
            "当前位置：首页 > 政务公开 > 政策文件",
            "首页 > 政策文件",
            "上一篇：关于做好春节期间安全生产工作的通知",
            "版权所有：青禾市人民政府办公室",
            "主办单位：青禾市人民政府办公室 网站标识码：1234000001",
            "苏ICP备12345678号",
            "网站地图 | 联系我们",
            "扫一扫在手机上打开当前页",
            "【 】",
        ] {
            assert!(is_furniture_line(line), "{line}");
        }
        for line in [
            "第一条 为了促进公平竞争，制定本办法。",
            "主办单位：市商务局，承办单位另行通知。",
            "发布时间：2024-03-01 来源：市发展改革委",
        ] {
            assert!(!is_furniture_line(line), "{line}");
        }
    }

    #[test]
    fn related_headings_are_recognised() {
        assert_eq!(related_heading("相关链接："), Some(""));
        assert_eq!(related_heading("【相关文件】"), Some(""));
        assert!(related_heading("相关部门应当加强监督。").is_none());
    }
}
