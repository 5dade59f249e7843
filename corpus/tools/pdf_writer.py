"""Write a block list as PDF.

"libreoffice": the GB/T 9704 .docx converted by `soffice` (embedded CJK font).
"reportlab": typeset directly with the STSong-Light CID font; reportlab wraps
lines wherever the width runs out, so sentences break mid-line as in real
exports, and every page carries a running header and a "— N —" folio.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import HRFlowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import docx_writer
from layout import Block, column_weights, docno_of, issuer_of, title_of

FONT = "STSong-Light"
_PROFILE = None


def _soffice_profile() -> str:
    """A private LibreOffice profile so parallel users do not share a lock."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = tempfile.mkdtemp(prefix="corpus-lo-")
    return _PROFILE


def via_libreoffice(blocks: list[Block]) -> bytes:
    data = docx_writer.build(blocks, autonumber=False)
    work = Path(tempfile.mkdtemp(prefix="corpus-pdf-"))
    try:
        src = work / "doc.docx"
        src.write_bytes(data)
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{_soffice_profile()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        return _pin_pdf(
            (work / "doc.pdf").read_bytes(), hashlib.md5(data).hexdigest()
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pin_pdf(pdf: bytes, seed: str) -> bytes:
    """Replace dates, file ID and checksum in place (same lengths, so xref offsets stay valid)."""

    def fixed_date(m: re.Match) -> bytes:
        old = m.group(1)
        new = b"20240101080000" + old[14:]
        return m.group(0).replace(old, new[: len(old)])

    pdf = re.sub(rb"/CreationDate\s*\(D:([^)]*)\)", fixed_date, pdf)
    pdf = re.sub(rb"/ModDate\s*\(D:([^)]*)\)", fixed_date, pdf)

    def fixed_id(m: re.Match) -> bytes:
        old = m.group(1)
        new = (seed * 4).encode()[: len(old)].upper()
        return m.group(0).replace(old, new)

    pdf = re.sub(rb"<([0-9A-Fa-f]{32})>", fixed_id, pdf)
    return re.sub(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})", fixed_id, pdf)


def cleanup() -> None:
    if _PROFILE is not None:
        shutil.rmtree(_PROFILE, ignore_errors=True)


# ---------------------------------------------------------------- reportlab


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=15, leading=26,
                          firstLineIndent=30, wordWrap="CJK", alignment=TA_LEFT)
    return {
        "body": base,
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "center": ParagraphStyle("center", parent=base, firstLineIndent=0, alignment=TA_CENTER),
        "masthead": ParagraphStyle("masthead", parent=base, firstLineIndent=0, fontSize=34,
                                   leading=44, alignment=TA_CENTER, textColor=colors.red),
        "title": ParagraphStyle("title", parent=base, firstLineIndent=0, fontSize=21,
                                leading=32, alignment=TA_CENTER, spaceBefore=10, spaceAfter=12),
        "right": ParagraphStyle("right", parent=base, firstLineIndent=0, alignment=TA_RIGHT,
                                rightIndent=45),
        "small": ParagraphStyle("small", parent=base, firstLineIndent=0, fontSize=13, leading=22),
        "cell": ParagraphStyle("cell", parent=base, firstLineIndent=0, fontSize=11, leading=16),
        "note": ParagraphStyle("note", parent=base, firstLineIndent=0, leftIndent=75),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[str]], st: dict[str, ParagraphStyle], width: float) -> Table:
    weights = column_weights(rows)
    cols = len(weights)
    data = [[Paragraph(_esc(r[c]) if c < len(r) else "", st["cell"]) for c in range(cols)]
            for r in rows]
    t = Table(data, colWidths=[width * w for w in weights], repeatRows=1)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return t


def via_reportlab(blocks: list[Block]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    st = _styles()
    header = "　".join(x for x in (issuer_of(blocks), docno_of(blocks)) if x)
    width = A4[0] - 56 * mm

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 10)
        top = A4[1] - 18 * mm
        canvas.drawString(28 * mm, top, header or title_of(blocks))
        canvas.drawRightString(A4[0] - 28 * mm, top, "行政规范性文件")
        canvas.setLineWidth(0.5)
        canvas.line(28 * mm, top - 2 * mm, A4[0] - 28 * mm, top - 2 * mm)
        canvas.setFont(FONT, 13)
        folio = f"— {doc.page} —"
        if doc.page % 2:
            canvas.drawRightString(A4[0] - 30 * mm, 18 * mm, folio)
        else:
            canvas.drawString(30 * mm, 18 * mm, folio)
        canvas.restoreState()

    story = []
    for b in blocks:
        t = _esc(b.text)
        if b.role == "masthead":
            story.append(Paragraph(t, st["masthead"]))
        elif b.role == "docno":
            story += [Paragraph(t, st["center"]), Spacer(1, 4),
                      HRFlowable(width="100%", thickness=2, color=colors.red, spaceAfter=6)]
        elif b.role in ("title", "attach_title"):
            story.append(Paragraph(t, st["title"]))
        elif b.role in ("addressee",):
            story.append(Paragraph(t, st["plain"]))
        elif b.role == "attach_note":
            story.append(Paragraph(t, st["body"] if t.startswith("附件") else st["note"]))
        elif b.role in ("signature", "date"):
            story.append(Paragraph(t, st["right"]))
        elif b.role == "attach_mark":
            story += [PageBreak(), Paragraph(t, st["plain"])]
        elif b.role == "chapter":
            story.append(Paragraph(t, st["center"]))
        elif b.role in ("cc", "issued"):
            story.append(Paragraph(t, st["small"]))
        elif b.role == "table":
            story += [_table(b.rows, st, width), Spacer(1, 8)]
        else:
            story.append(Paragraph(t, st["body"]))

    path = Path(tempfile.mkdtemp(prefix="corpus-rl-")) / "doc.pdf"
    try:
        doc = SimpleDocTemplate(
            str(path), pagesize=A4, leftMargin=28 * mm, rightMargin=28 * mm,
            topMargin=30 * mm, bottomMargin=30 * mm, title=title_of(blocks),
            author="fairscan corpus", creator="fairscan corpus", producer="fairscan corpus",
            invariant=1,
        )
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return path.read_bytes()
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def build(blocks: list[Block], variant: str) -> bytes:
    if variant == "reportlab":
        return via_reportlab(blocks)
    if variant in ("", "libreoffice"):
        return via_libreoffice(blocks)
    raise ValueError(f"unknown pdf variant {variant!r}")

