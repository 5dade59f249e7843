//! Page furniture: escaping, the inline style sheet, the head and foot.

pub use crate::report::markup::{LEVELS, esc, level_class, push_esc};

/// Reviewer wording for a `ReviewError::kind`.
pub fn error_kind_label(kind: &str) -> &'static str {
    match kind {
        "unsupported" => "不支持的格式",
        "encrypted" => "已加密",
        "corrupt" => "文件损坏",
        "too_large" => "超出限制",
        "needs_ocr" => "需要文字识别",
        "timeout" => "处理超时",
        "io" => "读取失败",
        "internal" => "内部错误",
        _ => "无法审查",
    }
}

/// Everything before the body content. The content security policy forbids
/// every script and every fetch: the page is one file that works offline.
pub fn head(out: &mut String, title: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"fairscan ");
    push_esc(out, env!("CARGO_PKG_VERSION"));
    out.push_str("\">\n<title>");
    push_esc(out, title);
    out.push_str("</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
}

pub fn foot(out: &mut String) {
    out.push_str("<footer class=\"page-foot\">由 fairscan ");
    push_esc(out, env!("CARGO_PKG_VERSION"));
    out.push_str(
        " 生成。审查意见为辅助参考，审查结论由审查人员作出。</footer>\n</body>\n</html>\n",
    );
}

/// Screen: a sticky navigation bar, findings beside their paragraph on wide
/// screens. Print: nothing sticky, one document per page, highlights that
/// survive grayscale (underline style by level).
const STYLE: &str = r#":root {
  --error: #c62828; --error-bg: #fde0dc;
  --warning: #b26a00; --warning-bg: #fff0c2;
  --suggestion: #1f62b8; --suggestion-bg: #dde9fb;
  --ink: #1d2329; --muted: #5f6b76; --line: #d9dee3; --paper: #ffffff; --tint: #f5f7f9;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--tint);
  font: 15px/1.7 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
a { color: #0b57a4; }
nav.top { position: sticky; top: 0; z-index: 5; display: flex; gap: 1.2rem; align-items: center;
  padding: .5rem 1.5rem; background: #203040; color: #fff; font-size: 14px; }
nav.top a { color: #fff; text-decoration: none; }
nav.top strong { margin-right: auto; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 26px; margin: .6rem 0 .2rem; }
h2 { font-size: 20px; margin: 0 0 .6rem; }
h3 { font-size: 16px; margin: 1rem 0 .4rem; }
.lead { color: var(--muted); margin: 0 0 1rem; }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; margin: 0; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; background: var(--tint); }
.stat dt { color: var(--muted); font-size: 13px; }
.stat dd { margin: 0; font-size: 24px; font-weight: 600; }
.stat dd small { font-size: 13px; font-weight: 400; color: var(--muted); }
.notice { color: var(--muted); font-size: 13px; }
.legend { display: flex; gap: 1rem; font-size: 13px; color: var(--muted); margin: .2rem 0 .6rem; }
.legend .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -1px; border-radius: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1rem; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart { margin: 0; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: .4rem; }
figure.chart svg { display: block; height: auto; max-width: 100%; }
svg text { font-size: 13px; fill: var(--ink); }
svg .value { fill: var(--muted); }
svg .track { fill: #eef1f4; }
svg a text { fill: #0b57a4; }
.seg.lv-error, .swatch.lv-error { fill: var(--error); background: var(--error); }
.seg.lv-warning, .swatch.lv-warning { fill: #e0a100; background: #e0a100; }
.seg.lv-suggestion, .swatch.lv-suggestion { fill: var(--suggestion); background: var(--suggestion); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--tint); font-weight: 600; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .path { display: block; color: var(--muted); font-size: 12px; word-break: break-all; }
.tag { display: inline-block; padding: 0 .45em; border-radius: 3px; font-size: 13px; white-space: nowrap; border: 1px solid currentColor; }
.c-adopt { color: #1b6e3a; } .c-revise { color: var(--warning); } .c-reject { color: var(--error); } .c-failed { color: var(--muted); }
section.doc { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1.2rem 1.5rem; margin: 1.5rem 0; }
section.doc h2 .num { color: var(--muted); font-weight: 400; margin-right: .4em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .8rem; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; word-break: break-all; }
.verdict { border-left: 4px solid currentColor; background: var(--tint); padding: .5rem .9rem; margin: .6rem 0 1rem; }
.verdict strong { font-size: 17px; }
.verdict p { margin: .2rem 0; color: var(--ink); }
.verdict p.notice { color: var(--muted); }
ul.warnings { color: var(--warning); font-size: 14px; }
.doc-text { border-top: 1px solid var(--line); padding-top: .6rem; }
.para { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 26rem); column-gap: 1.2rem; }
.para > p { grid-column: 1; margin: .25rem 0; white-space: pre-wrap; word-break: break-word; }
.para > .findings { grid-column: 2; }
p.heading { font-weight: 700; }
p.cell { padding-left: .6rem; border-left: 2px solid var(--line); }
p.furniture { color: var(--muted); font-size: 13px; }
.page-no { grid-column: 1; color: var(--muted); font-size: 12px; border-top: 1px dashed var(--line); margin-top: .4rem; }
.gap { grid-column: 1; color: var(--muted); }
mark { color: inherit; padding: 0 1px; border-radius: 2px; text-decoration-thickness: 2px; text-underline-offset: 3px; text-decoration-line: underline; }
mark.lv-error { background: var(--error-bg); text-decoration-color: var(--error); text-decoration-style: solid; }
mark.lv-warning { background: var(--warning-bg); text-decoration-color: var(--warning); text-decoration-style: dashed; }
mark.lv-suggestion { background: var(--suggestion-bg); text-decoration-color: var(--suggestion); text-decoration-style: dotted; }
a.ref { font-size: 11px; vertical-align: super; text-decoration: none; margin: 0 1px; }
article.finding { border: 1px solid var(--line); border-left: 4px solid var(--muted); border-radius: 4px; padding: .45rem .7rem; margin: .35rem 0 .7rem; font-size: 14px; line-height: 1.6; background: var(--paper); }
article.finding.lv-error { border-left-color: var(--error); }
article.finding.lv-warning { border-left-color: #e0a100; border-left-style: dashed; }
article.finding.lv-suggestion { border-left-color: var(--suggestion); border-left-style: dotted; }
article.finding header { margin-bottom: .2rem; }
article.finding .level { font-weight: 700; margin-right: .4em; }
article.finding.lv-error .level { color: var(--error); }
article.finding.lv-warning .level { color: var(--warning); }
article.finding.lv-suggestion .level { color: var(--suggestion); }
article.finding .cite { font-weight: 600; }
article.finding .item-title { display: block; color: var(--muted); }
article.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .6rem; margin: 0; }
article.finding dt { color: var(--muted); }
article.finding dd { margin: 0; }
details > summary { cursor: pointer; color: #0b57a4; }
.back { font-size: 13px; }
footer.page-foot { text-align: center; color: var(--muted); font-size: 12px; padding: 1rem; }
@media (max-width: 900px) {
  .para { grid-template-columns: minmax(0, 1fr); }
  .para > .findings { grid-column: 1; }
  .charts { grid-template-columns: minmax(0, 1fr); }
  figure.chart.wide { grid-column: 1; }
}
@media print {
  body { background: #fff; font-size: 11pt; }
  nav.top { position: static; display: none; }
  main { max-width: none; padding: 0; }
  .panel, section.doc, figure.chart { border: none; padding: 0; }
  section.doc { break-before: page; margin: 0; }
  .para { grid-template-columns: minmax(0, 1fr); }
  .para > .findings { grid-column: 1; }
  article.finding { break-inside: avoid; }
  .charts { grid-template-columns: minmax(0, 1fr); }
  mark { background: none; text-decoration-line: underline; border-bottom: none; }
  mark.lv-error { text-decoration-style: solid; text-decoration-thickness: 2.5px; font-weight: 700; }
  mark.lv-warning { text-decoration-style: dashed; }
  mark.lv-suggestion { text-decoration-style: dotted; }
  a { color: inherit; text-decoration: none; }
  .back { display: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>\u{0}"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\u{FFFD}"
        );
        assert_eq!(esc("第三条\n（二）"), "第三条\n（二）");
    }
}
