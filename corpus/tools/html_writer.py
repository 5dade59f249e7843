"""Write a block list as a saved government-portal page.

The document sits in the container a real content system uses ("zoom":
<div id="zoom">, "trs": <div class="TRS_Editor">, "ucap": <div id="UCAP-CONTENT">,
"generic"/"gbk-mislabeled": <div class="article-body">) and is surrounded by
the furniture an extractor must drop: navigation, breadcrumb, info line,
share bar, related links and site footer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from html import escape

from layout import Block, date_of, docno_of, issuer_of, title_of

RELATED = [
    "关于开展2024年度“专精特新”中小企业申报工作的通知",
    "关于公布第二批行政规范性文件清理结果的公告",
    "关于进一步优化政务服务提升行政效能的实施意见",
    "2024年上半年全市经济运行情况新闻发布会",
    "关于征集2025年度重点民生实事项目意见建议的公告",
]
ICP_PREFIX = ["滇", "黔", "湘", "赣", "皖", "闽"]


def _site(issuer: str) -> tuple[str, str]:
    """(portal owner, portal name) from the issuing organ's place name."""
    m = re.match(r"^([^市县区]{1,4}[市县区])([^市县区]{1,4}[县区])?", issuer)
    place = (m.group(1) + (m.group(2) or "")) if m else "青禾市"
    return f"{place}人民政府办公室", f"{place}人民政府门户网站"


def _digits(seed: str, n: int) -> str:
    h = int(hashlib.sha1(seed.encode()).hexdigest(), 16)
    return str(h)[:n]


def _content(blocks: list[Block], variant: str) -> str:
    out = []
    for b in blocks:
        if b.role == "table":
            rows = []
            for r, row in enumerate(b.rows):
                align = ' align="center"' if r == 0 else ""
                side = "center" if r == 0 else "left"
                bold, unbold = ("<strong>", "</strong>") if r == 0 else ("", "")
                cells = "".join(
                    f'<td style="border:1px solid #000;padding:4px 6px;"{align}>'
                    f'<p style="text-align:{side};">{bold}<span style="font-size:14px;">'
                    f"{escape(c)}</span>{unbold}</p></td>"
                    for c in row
                )
                rows.append(f"<tr>{cells}</tr>")
            out.append(
                '<table border="1" cellspacing="0" cellpadding="0" width="100%" '
                'style="border-collapse:collapse;"><tbody>\n'
                + "\n".join(rows)
                + "\n</tbody></table>"
            )
            continue
        t = escape(b.text)
        if b.role in ("masthead", "title", "attach_title", "chapter"):
            style = "text-align:center;"
            if b.role != "chapter":
                t = f"<strong>{t}</strong>"
        elif b.role in ("docno",):
            style = "text-align:center;"
        elif b.role == "h1":
            style = "text-indent:2em;"
            t = f"<strong>{t}</strong>"
        elif b.role in ("signature", "date"):
            style = "text-align:right;"
        elif b.role in ("addressee", "attach_mark", "cc", "issued"):
            style = "text-align:left;"
        else:
            style = "text-indent:2em;"
        if variant == "trs":
            t = f'<span style="font-family:仿宋;font-size:16pt;">{t}</span>'
        out.append(f'<p style="{style}">{t}</p>')
    return "\n".join(out)


def _head(title: str, pub: str, source: str, site: str, charset: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}_{escape(site)}</title>
<meta name="SiteName" content="{escape(site)}">
<meta name="ColumnName" content="政策文件">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{pub}">
<meta name="ContentSource" content="{escape(source)}">
<meta name="Keywords" content="政策文件,政务公开">
<link rel="stylesheet" href="../../images/common.css">
<script src="../../images/jquery.min.js"></script>
</head>"""


def _top(site: str) -> str:
    return f"""<div class="top-bar"><div class="w1200">
<span class="welcome">欢迎访问{escape(site)}！</span>
<a href="#">无障碍</a> | <a href="#">长者模式</a> | <a href="#">简体</a>/<a href="#">繁體</a> | <a href="#">English</a>
</div></div>
<div class="header"><div class="w1200"><img src="../../images/logo.png" alt="{escape(site)}">
<form class="search" action="/search"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>
</div></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjqh/">走进本地</a></li>
</ul></div>"""


def _crumb() -> str:
    return ('<div class="position">当前位置：<a href="/">首页</a> &gt; '
            '<a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>')


def _info(pub: str, source: str) -> str:
    return f"""<div class="info">
<span>发布时间：{pub}</span><span>来源：{escape(source)}</span>
<span class="font">字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></span>
<span class="tools"><a href="javascript:window.print()">【打印】</a><a href="javascript:window.close()">【关闭】</a></span>
</div>"""


def _meta_table(title: str, issuer: str, docno: str, date: str, pub: str, seed: str) -> str:
    """The 政务公开 index box most portals put above a policy document."""
    return f"""<table class="xxgk-table"><tbody>
<tr><th>索引号：</th><td>{_digits(seed, 9)}/2024-{_digits(seed + 'i', 5)}</td><th>主题分类：</th><td>综合政务</td></tr>
<tr><th>发文机关：</th><td>{escape(issuer)}</td><th>成文日期：</th><td>{date}</td></tr>
<tr><th>标题：</th><td colspan="3">{escape(title)}</td></tr>
<tr><th>发文字号：</th><td>{escape(docno)}</td><th>发布日期：</th><td>{pub[:10]}</td></tr>
</tbody></table>"""


def _tail(owner: str, site: str, seed: str) -> str:
    related = "\n".join(f'<li><a href="/zwgk/zcwj/{_digits(seed + x, 6)}.html">{escape(x)}</a></li>'
                        for x in RELATED)
    icp = ICP_PREFIX[int(_digits(seed, 2)) % len(ICP_PREFIX)]
    return f"""<div class="share">分享到：<a class="wx" href="#">微信</a><a class="wb" href="#">微博</a><a class="qz" href="#">QQ空间</a></div>
<div class="related"><h3>相关链接</h3><ul>
{related}
</ul></div>
<div class="footer"><div class="w1200">
<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">使用帮助</a> | <a href="#">隐私声明</a></p>
<p>主办单位：{escape(owner)}　　承办单位：{escape(owner.removesuffix("办公室"))}大数据中心</p>
<p>网站标识码：{_digits(seed, 10)}　　{icp}ICP备{_digits(seed + 'icp', 8)}号-1　　{icp}公网安备 {_digits(seed + 'ga', 14)}号</p>
<p>建议使用1366×768分辨率及以上浏览器浏览本站</p>
</div></div>
<script>function doZoom(size){{var el=document.getElementById('zoom')||document.querySelector('.TRS_Editor')||document.body;el.style.fontSize=size+'px';}}</script>
</body>
</html>
"""


def _container(variant: str, body: str) -> str:
    if variant == "zoom":
        return f'<div class="article-con">\n<div id="zoom">\n{body}\n</div>\n</div>'
    if variant == "trs":
        style = ("<style type=\"text/css\">.TRS_Editor P{margin-top:0px;margin-bottom:12px;"
                 "line-height:1.8;font-family:宋体;font-size:12pt;}"
                 ".TRS_Editor TD{font-size:12pt;}</style>")
        return (f'<div class="view TRS_UEDITOR trs_paper_default trs_web">\n'
                f'<div class="TRS_Editor">{style}\n{body}\n</div>\n</div>')
    if variant == "ucap":
        return (f'<div class="main-txt">\n<div id="UCAP-CONTENT">\n<!--<ucapcontent>-->\n'
                f'{body}\n<!--</ucapcontent>-->\n</div>\n</div>')
    return f'<div class="article">\n<div class="article-body">\n{body}\n</div>\n</div>'


def build(blocks: list[Block], variant: str, encoding: str, seed: str) -> bytes:
    title = title_of(blocks)
    issuer = issuer_of(blocks) or "青禾市人民政府办公室"
    owner, site = _site(issuer)
    ymd = date_of(blocks) or (2024, 1, 2)
    written = dt.date(*ymd)
    pub = f"{(written + dt.timedelta(days=4)).isoformat()} 09:30"
    if encoding in ("gb18030", "gbk") and variant != "gbk-mislabeled":
        charset, codec = "gb2312", "gb18030"
    elif variant == "gbk-mislabeled":
        charset, codec = "utf-8", "gb18030"
    else:
        charset, codec = "utf-8", "utf-8"
    page = "\n".join([
        _head(title, pub, issuer, site, charset),
        '<body class="article-page">',
        _top(site),
        '<div class="main w1200">',
        _crumb(),
        _meta_table(title, issuer, docno_of(blocks), written.isoformat(), pub, seed)
        if variant in ("zoom", "ucap") else "",
        f'<div class="article-title"><h1>{escape(title)}</h1></div>',
        _info(pub, issuer),
        _container(variant, _content(blocks, variant)),
        "</div>",
        _tail(owner, site, seed),
    ])
    data = page.encode(codec)
    if encoding == "utf-8-bom":
        data = b"\xef\xbb\xbf" + data
    return data
