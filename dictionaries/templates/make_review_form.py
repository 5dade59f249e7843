#!/usr/bin/env python3
"""Writes review-form.docx, the default 公平竞争审查表 template of `fairscan form`.

Run once after editing (needs python-docx):  python3 make_review_form.py
A province can copy the .docx, rearrange it in Word and pass it with --template;
the placeholder names fairscan fills are listed in src/form/values.rs.
"""

import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ARTICLES = [
    (8, "第八条", 5),
    (9, "第九条", 6),
    (10, "第十条", 4),
    (11, "第十一条", 4),
]
ITEM_NUMERALS = "一二三四五六"
BLANK = "＿" * 14


def set_east_asian_font(style, name):
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def shade(cell, fill):
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def write(cell, text, bold=False, size=None, align=None):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def label_rows(table, rows):
    for label, value in rows:
        cells = table.add_row().cells
        write(cells[0], label, bold=True)
        write(cells[1], value)


def widths(table, values):
    table.autofit = False
    for column, width in zip(table.columns, values):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, values):
            cell.width = width


def main():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    set_east_asian_font(normal, "宋体")

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("公平竞争审查表")
    run.bold = True
    run.font.size = Pt(18)
    note = doc.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = note.add_run("（竞争影响评估由 fairscan 预填，审查机构逐项核对后填写结论并签字）")
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)

    basic = doc.add_table(rows=0, cols=2)
    basic.style = "Table Grid"
    basic.alignment = WD_TABLE_ALIGNMENT.CENTER
    label_rows(
        basic,
        [
            ("政策措施名称", "{{措施名称}}"),
            ("文号", "{{发文字号}}"),
            ("成文日期", "{{成文日期}}"),
            ("是否涉及经营者经济活动", "□是　　□否"),
            ("涉及行业领域", BLANK),
            ("性质", "□行政法规草案　□地方性法规草案　□规章　□规范性文件　□其他政策措施"),
            ("起草机构", "{{起草单位}}"),
            ("起草机构联系人及电话", BLANK),
            ("审查机构", BLANK),
            ("审查机构联系人及电话", BLANK),
            (
                "征求意见情况",
                "□征求利害关系人意见　□向社会公开征求意见\n具体情况（时间、对象、意见反馈和采纳情况）：",
            ),
            ("专家咨询或第三方评估", "□是　□否　具体情况："),
        ],
    )
    widths(basic, [Cm(4.6), Cm(12)])

    heading = doc.add_paragraph()
    heading.paragraph_format.space_before = Pt(10)
    run = heading.add_run("竞争影响评估（依据：{{审查标准}}）")
    run.bold = True
    run.font.size = Pt(12)

    impact = doc.add_table(rows=1, cols=3)
    impact.style = "Table Grid"
    impact.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(impact.rows[0].cells, ["审查标准", "是否违反", "具体情况（问题条款及依据）"]):
        write(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        shade(cell, "D9D9D9")
    for article, name, items in ARTICLES:
        cells = impact.add_row().cells
        write(cells[0], f"{name}　{{{{{article}.标题}}}}", bold=True)
        write(cells[1], f"{{{{{article}.是否}}}}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        write(cells[2], f"{{{{{article}.情况}}}}")
        for cell in cells:
            shade(cell, "F2F2F2")
        for item in range(1, items + 1):
            code = f"{article}-{item}"
            cells = impact.add_row().cells
            write(cells[0], f"（{ITEM_NUMERALS[item - 1]}）{{{{{code}.标题}}}}", size=9.5)
            write(cells[1], f"{{{{{code}.是否}}}}", align=WD_ALIGN_PARAGRAPH.CENTER)
            write(cells[2], f"{{{{{code}.情况}}}}", size=9.5)
    widths(impact, [Cm(6.2), Cm(2.0), Cm(8.4)])

    doc.add_paragraph()
    closing = doc.add_table(rows=0, cols=2)
    closing.style = "Table Grid"
    closing.alignment = WD_TABLE_ALIGNMENT.CENTER
    label_rows(
        closing,
        [
            ("是否适用例外规定", "{{例外}}\n{{例外说明}}"),
            ("审查结论（建议）", "{{建议结论}}\n{{结论理由}}"),
            ("其他需要说明的情况", "{{其他说明}}"),
            (
                "审查机构负责人意见",
                "\n\n\n负责人签字：　　　　　　　　（盖章）\n日期：　　　　年　　月　　日",
            ),
        ],
    )
    widths(closing, [Cm(4.6), Cm(12)])

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run("{{文件名称}} · fairscan 预填于 {{填表日期}}")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x88, 0x88, 0x88)

    doc.core_properties.title = "公平竞争审查表"
    doc.core_properties.author = "fairscan"
    out = Path(__file__).with_name("review-form.docx")
    doc.save(out)
    drop_thumbnail(out)
    print(f"wrote {out}")


def drop_thumbnail(path):
    """The generator's stock preview picture says nothing about this form."""
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    parts.pop("docProps/thumbnail.jpeg", None)
    rels = parts["_rels/.rels"].decode("utf-8")
    parts["_rels/.rels"] = re.sub(r"<Relationship [^>]*thumbnail[^>]*/>", "", rels).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


if __name__ == "__main__":
    main()
