"""Write a block list as a .docx in the look of GB/T 9704 (党政机关公文格式).

Variant "autonumber": clause labels 一、（一）1.（1） are moved out of the run
text into real Word numbering (numbering.xml), the way drafters' templates do.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from layout import ARTICLE, Block, column_weights, label_of, title_of

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28  # fixed line pitch: 22 lines per page
FIXED_TIME = dt.datetime(2024, 1, 1, 8, 0, 0)
ZIP_TIME = (2024, 1, 1, 8, 0, 0)
ABSTRACT_ID = 20
FIRST_NUM_ID = 20


def set_font(run, east: str, size: float, bold: bool = False, color: RGBColor | None = None):
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:ascii"), LATIN)
    rfonts.set(qn("w:hAnsi"), LATIN)


def fmt(par, align=None, first_indent_chars: float = 0, right_chars: float = 0,
        before: float = 0, after: float = 0, exact: bool = True, line: float = LINE_PT):
    pf = par.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Pt(BODY_PT * first_indent_chars) if first_indent_chars else None
    if right_chars:
        pf.right_indent = Pt(BODY_PT * right_chars)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)


def border(par, side: str, color: str, size_eighths: int, space: int = 1):
    ppr = par._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = parse_xml(f"<w:pBdr {nsdecls('w')}/>")
        ppr.append(bdr)
    bdr.append(parse_xml(
        f'<w:{side} {nsdecls("w")} w:val="single" w:sz="{size_eighths}" '
        f'w:space="{space}" w:color="{color}"/>'
    ))


class Numbering:
    """Word list instances over one abstract definition, restarting like Word does."""

    def __init__(self, doc):
        self.root = doc.part.numbering_part.element
        self.root.insert(self._abstract_index(), parse_xml(self._abstract_xml()))
        self.num_id = None
        self.next_id = FIRST_NUM_ID
        self.counters: list[int | None] = [None] * 4
        self.starts = [1, 1, 1, 1]

    def _abstract_index(self) -> int:
        for k, child in enumerate(self.root):
            if child.tag == qn("w:num"):
                return k
        return len(self.root)

    @staticmethod
    def _abstract_xml() -> str:
        levels = [
            ("chineseCounting", "%1、", HEITI),
            ("chineseCounting", "（%2）", KAITI),
            ("decimal", "%3.", FANGSONG),
            ("decimal", "（%4）", FANGSONG),
        ]
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{t}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}"/>'
            f'<w:sz w:val="32"/></w:rPr></w:lvl>'
            for i, (f, t, font) in enumerate(levels)
        )
        return (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ABSTRACT_ID}">'
            f'<w:nsid w:val="5A3C1E20"/><w:multiLevelType w:val="multilevel"/>'
            f'<w:tmpl w:val="6B1D2F30"/>{lvls}</w:abstractNum>'
        )

    def _new_num(self, level: int, start: int) -> None:
        self.num_id = self.next_id
        self.next_id += 1
        self.root.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{self.num_id}">'
            f'<w:abstractNumId w:val="{ABSTRACT_ID}"/>'
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            f"</w:num>"
        ))
        self.counters = [None] * 4
        self.starts = [1, 1, 1, 1]
        self.starts[level] = start

    def apply(self, par, level: int, value: int) -> None:
        """Number `par`; open a restarted list when Word would show another value."""
        expected = None
        if self.num_id is not None:
            prev = self.counters[level]
            expected = self.starts[level] if prev is None else prev + 1
        if expected != value:
            self._new_num(level, value)
        self.counters[level] = value
        for deeper in range(level + 1, 4):
            self.counters[deeper] = None
        ppr = par._p.get_or_add_pPr()
        ppr.insert(0, parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{self.num_id}"/></w:numPr>'
        ))


def setup(doc) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    _page_footers(doc)


def _page_field(par) -> None:
    """— N — with a PAGE field, 4号宋体 as GB/T 9704 asks."""
    def run(text: str):
        r = par.add_run(text)
        set_font(r, SONGTI, 14)
        return r

    run("— ")
    for kind, extra in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("end", "")):
        r = run("")
        if kind == "instr":
            r._r.append(parse_xml(
                f'<w:instrText {nsdecls("w")} xml:space="preserve">{extra}</w:instrText>'
            ))
        else:
            r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
        if kind == "separate":
            run("1")  # cached value shown until the field is updated
    run(" —")


def _page_footers(doc) -> None:
    """Odd pages right-aligned, even pages left, one character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            par.paragraph_format.right_indent = Pt(14)
        else:
            par.paragraph_format.left_indent = Pt(14)
        _page_field(par)


def add_text(doc, text: str, east: str, size: float, **kw):
    par = doc.add_paragraph()
    fmt(par, **kw)
    set_font(par.add_run(text), east, size)
    return par


def add_body(doc, text: str, numbering: Numbering | None):
    """A body paragraph: 黑体 article label, 楷体 lead-in for （一） items."""
    par = doc.add_paragraph()
    fmt(par, first_indent_chars=2)
    lab = label_of(text)
    if numbering is not None and lab is not None:
        level, value, label = lab
        numbering.apply(par, level, value)
        text = text[len(label):]
        par.paragraph_format.first_line_indent = None  # indentation comes from the list level
    m = ARTICLE.match(text)
    if m:
        set_font(par.add_run(m.group(0)), HEITI, BODY_PT)
        text = text[m.end():]
    elif lab and lab[0] == 1 and "。" in text:
        head, _, rest = text.partition("。")
        if len(head) <= 24:
            set_font(par.add_run(head + "。"), KAITI, BODY_PT)
            text = rest
    if text:
        set_font(par.add_run(text), FANGSONG, BODY_PT)
    return par


def add_heading1(doc, text: str, numbering: Numbering | None):
    par = doc.add_paragraph()
    fmt(par, first_indent_chars=2)
    lab = label_of(text)
    if numbering is not None and lab is not None:
        numbering.apply(par, lab[0], lab[1])
        text = text[len(lab[2]):]
        par.paragraph_format.first_line_indent = None
    set_font(par.add_run(text), HEITI, BODY_PT)


def add_table(doc, rows: list[list[str]]):
    weights = column_weights(rows)
    width = len(weights)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, w in enumerate(weights):
        table.columns[c].width = Mm(156 * w)
    for r, row in enumerate(rows):
        for c in range(width):
            cell = table.cell(r, c)
            cell.width = Mm(156 * weights[c])
            par = cell.paragraphs[0]
            fmt(par, align=WD_ALIGN_PARAGRAPH.CENTER if r == 0 else None, exact=False)
            set_font(par.add_run(row[c] if c < len(row) else ""),
                     HEITI if r == 0 else FANGSONG, 12)
    doc.add_paragraph()


def masthead(doc, text: str):
    par = doc.add_paragraph()
    size = min(52.0, 440.0 / max(len(text), 1))
    fmt(par, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=10, exact=False)
    set_font(par.add_run(text), XIAOBIAOSONG, size, color=RGBColor(0xFF, 0, 0))


def build(blocks: list[Block], autonumber: bool) -> bytes:
    doc = Document()
    setup(doc)
    numbering = Numbering(doc) if autonumber else None
    body = doc.paragraphs[0]._p if doc.paragraphs else None
    if body is not None:
        body.getparent().remove(body)
    has_docno = any(b.role == "docno" for b in blocks)
    for b in blocks:
        if b.role == "masthead":
            masthead(doc, b.text)
            if not has_docno:
                border(doc.paragraphs[-1], "bottom", "FF0000", 18, 8)
        elif b.role == "docno":
            par = add_text(doc, b.text, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                           after=20)
            border(par, "bottom", "FF0000", 18, 8)
        elif b.role == "title":
            add_text(doc, b.text, XIAOBIAOSONG, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                     before=20, after=16, line=36)
        elif b.role == "addressee":
            add_text(doc, b.text, FANGSONG, BODY_PT)
        elif b.role == "attach_note":
            par = add_text(doc, b.text, FANGSONG, BODY_PT, first_indent_chars=2)
            if not b.text.startswith("附件"):
                par.paragraph_format.left_indent = Pt(BODY_PT * 5)
                par.paragraph_format.first_line_indent = None
        elif b.role == "signature":
            add_text(doc, b.text, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT,
                     right_chars=4, before=28 if b is _first_signature(blocks) else 0)
        elif b.role == "date":
            add_text(doc, b.text, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT,
                     right_chars=4)
        elif b.role == "public_note":
            add_text(doc, b.text, FANGSONG, BODY_PT, first_indent_chars=2)
        elif b.role == "attach_mark":
            par = add_text(doc, b.text, HEITI, BODY_PT)
            par.paragraph_format.page_break_before = True
        elif b.role == "attach_title":
            add_text(doc, b.text, XIAOBIAOSONG, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                     before=16, after=16, line=36)
        elif b.role == "chapter":
            add_text(doc, b.text, HEITI, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif b.role == "h1":
            add_heading1(doc, b.text, numbering)
        elif b.role in ("cc", "issued"):
            par = add_text(doc, b.text, FANGSONG, 14, exact=False)
            par.paragraph_format.left_indent = Pt(14)
            if b.role == "cc":
                border(par, "top", "000000", 4, 2)
            border(par, "bottom", "000000", 4, 2)
        elif b.role == "table":
            add_table(doc, b.rows)
        else:
            add_body(doc, b.text, numbering)
    _core(doc, title_of(blocks))
    raw = io.BytesIO()
    doc.save(raw)
    return _restamp(raw.getvalue())


def _first_signature(blocks: list[Block]) -> Block | None:
    for b in blocks:
        if b.role == "signature":
            return b
    return None


def _core(doc, title: str) -> None:
    cp = doc.core_properties
    cp.author = "fairscan corpus"
    cp.last_modified_by = "fairscan corpus"
    cp.title = title
    cp.subject = ""
    cp.keywords = ""
    cp.comments = ""
    cp.revision = 1
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME


def _restamp(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times so reruns are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()

