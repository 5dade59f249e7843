"""Turn a source's `text` into typed blocks (furniture roles, body, tables).

Every writer (docx, pdf, html, txt) renders the same block list, so the role
heuristics live here once. Roles follow GB/T 9704 furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_DIGITS = "〇零一二三四五六七八九十"

DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号$")
DATE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九]{4})年"
    r"([\d]{1,2}|[一二三四五六七八九十]{1,2})月"
    r"([\d]{1,2}|[一二三四五六七八九十]{1,3})日$"
)
ISSUED_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发$")
ATTACH_MARK = re.compile(r"^附件\s*\d*$")
ATTACH_NOTE_ITEM = re.compile(r"^\d+[.．]")
CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+[章节]")
ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条")
ORGAN_END = re.compile(r"(人民政府|办公室|委员会|管理委员会|局|委|厅|中心|办)$")
PUNCT = re.compile(r"[。，；：、！？]")

# Clause labels that Word auto-numbering can carry (level, regex).
LABELS = [
    (0, re.compile(r"^([一二三四五六七八九十]+)、")),
    (1, re.compile(r"^（([一二三四五六七八九十]+)）")),
    (2, re.compile(r"^(\d+)[.．](?!\d)")),
    (3, re.compile(r"^（(\d+)）")),
]


@dataclass
class Block:
    role: str  # see classify()
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # role == "table"


def cn_number(s: str) -> int:
    """Chinese numerals up to 九十九 (clause labels, dates)."""
    if s.isdigit():
        return int(s)
    vals = {c: i for i, c in enumerate("零一二三四五六七八九")}
    vals["〇"] = 0
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (vals[tens] if tens else 1) * 10 + (vals[ones] if ones else 0)
    return vals[s]


def parse_date(s: str) -> tuple[int, int, int] | None:
    m = DATE.match(s)
    if not m:
        return None
    y = m.group(1)
    year = int(y) if y.isdigit() else int("".join(str(cn_number(c)) for c in y))
    return year, cn_number(m.group(2)), cn_number(m.group(3))


def label_of(text: str) -> tuple[int, int, str] | None:
    """(level, value, label text) when the paragraph opens with a clause label."""
    for level, rx in LABELS:
        m = rx.match(text)
        if m:
            return level, cn_number(m.group(1)), m.group(0)
    return None


def column_weights(rows: list[list[str]]) -> list[float]:
    """Relative column widths from the longest cell, so long text columns get room."""
    width = max(len(r) for r in rows)
    longest = [max((len(r[c]) for r in rows if c < len(r)), default=1) for c in range(width)]
    clamped = [min(max(n, 4), 30) for n in longest]
    total = sum(clamped)
    return [n / total for n in clamped]


def split_rows(lines: list[str]) -> list[list[str]]:
    return [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]


def classify(text: str) -> list[Block]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            blocks.append(Block("table", rows=split_rows(lines[i:j])))
            i = j
            continue
        blocks.append(Block("body", lines[i]))
        i += 1
    _mark_head(blocks)
    _mark_rest(blocks)
    return blocks


def _mark_head(blocks: list[Block]) -> None:
    """Masthead, document number, title and addressee at the top."""
    title_at = None
    for k, b in enumerate(blocks[:5]):
        if b.role == "table":
            break
        t = b.text
        if k == 0 and t.endswith("文件") and len(t) <= 24:
            b.role = "masthead"
        elif DOC_NUMBER.match(t):
            b.role = "docno"
        elif title_at is None and not t.endswith("：") and "。" not in t:
            b.role = "title"
            title_at = k
        elif title_at is not None:
            break
    if title_at is None:
        return
    for b in blocks[title_at + 1 : title_at + 3]:
        if b.role == "body" and b.text.endswith("：") and len(b.text) <= 80:
            b.role = "addressee"
            break
        if b.role == "body":
            break


def _mark_rest(blocks: list[Block]) -> None:
    in_note = False
    after_mark = False
    for k, b in enumerate(blocks):
        if b.role != "body":
            in_note = after_mark = False
            continue
        t = b.text
        if after_mark:
            after_mark = False
            if not label_of(t) and not ARTICLE.match(t) and "。" not in t:
                b.role = "attach_title"
                continue
        if t.startswith("附件：") or t.startswith("附件:"):
            b.role = "attach_note"
            in_note = True
            continue
        if in_note and ATTACH_NOTE_ITEM.match(t) and "。" not in t:
            b.role = "attach_note"
            continue
        in_note = False
        if DATE.match(t):
            b.role = "date"
            _mark_signature(blocks, k)
        elif t.startswith("（此件") and t.endswith("）"):
            b.role = "public_note"
        elif ATTACH_MARK.match(t):
            b.role = "attach_mark"
            after_mark = True
        elif t.startswith("抄送"):
            b.role = "cc"
        elif ISSUED_LINE.search(t):
            b.role = "issued"
        elif CHAPTER.match(t):
            b.role = "chapter"
        elif label_of(t) and label_of(t)[0] == 0 and len(t) <= 30 and "。" not in t[:-1]:
            b.role = "h1"


def _mark_signature(blocks: list[Block], date_at: int) -> None:
    """Up to two issuing organs stacked right above the date."""
    for k in (date_at - 1, date_at - 2):
        if k < 0:
            return
        b = blocks[k]
        if b.role != "body" or len(b.text) > 30 or PUNCT.search(b.text):
            return
        if not ORGAN_END.search(b.text):
            return
        b.role = "signature"


def title_of(blocks: list[Block]) -> str:
    for b in blocks:
        if b.role == "title":
            return b.text
    return ""


def issuer_of(blocks: list[Block]) -> str:
    for b in blocks:
        if b.role == "signature":
            return b.text
    for b in blocks:
        if b.role == "masthead":
            return b.text.removesuffix("文件")
    return ""


def date_of(blocks: list[Block]) -> tuple[int, int, int] | None:
    for b in blocks:
        if b.role == "date":
            return parse_date(b.text)
    return None


def docno_of(blocks: list[Block]) -> str:
    for b in blocks:
        if b.role == "docno":
            return b.text
    return ""
