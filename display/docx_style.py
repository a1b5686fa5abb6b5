"""The national format for official documents (GB/T 9704) in a python-docx document: A4, its
margins, its fonts and sizes, fixed line spacing and the "— 1 —" page number.

python-docx names a run's font for Latin text only (w:ascii, w:hAnsi); Word and WPS draw Chinese
in the w:eastAsia font, so every run names its font there too (set_font). The fonts are the
center's PCs' (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体); where one is missing Word and
LibreOffice substitute another Chinese font.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
# 号 → points: 二号 22, 三号 16, 四号 14, 小四 12
TITLE_PT, BODY_PT, PAGE_PT, TABLE_PT = 22, 16, 14, 12
LINE_PT = 28  # fixed spacing: 22 lines of 三号 on the page's 225 mm of text
TEXT_WIDTH = Mm(210 - 28 - 26)  # 156 mm: charts are placed this wide
MARGINS = {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}


def new_document() -> Document:
    """An empty A4 document with GB/T 9704 margins, 仿宋 三号 as its Normal style, page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS.items():
        setattr(section, side, Mm(mm))
    section.footer_distance = Mm(28 - 7)  # the number sits 7 mm under the text block's last line
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_PT)
    _page_number(section.footer.paragraphs[0])
    return doc


def set_font(target, name: str, size: float, bold: bool = False) -> None:
    """A run's or style's font for Latin and East Asian text alike."""
    target.font.name = name
    target.font.size = Pt(size)
    target.font.bold = bold
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def fixed_lines(paragraph, points: float = LINE_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(points)
    fmt.space_before = fmt.space_after = Pt(0)


def text(doc, content: str, font: str = BODY_FONT, size: float = BODY_PT, *, indent: bool = True, align=None):
    """A paragraph of one run: 三号 仿宋, two characters' first-line indent, fixed spacing."""
    paragraph = doc.add_paragraph()
    fixed_lines(paragraph)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(content), font, size)
    return paragraph


def title(doc, content: str) -> None:
    paragraph = text(doc, content, TITLE_FONT, TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    fixed_lines(paragraph, 36)  # 二号 needs more than the body's 28 pt


def heading(doc, content: str, level: int = 1) -> None:
    """一、 in 黑体, （一） in 楷体: both 三号, indented like the body; never last on a page."""
    text(doc, content, H1_FONT if level == 1 else H2_FONT).paragraph_format.keep_with_next = True


def lead(doc, content: str) -> None:
    """A sentence that introduces the table after it: kept on the table's page."""
    text(doc, content).paragraph_format.keep_with_next = True


def picture(doc, png: bytes) -> None:
    """A chart at the text's width, in a paragraph of single spacing (a fixed 28 pt would crop it)."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(png), width=TEXT_WIDTH)


def table(doc, frame) -> None:
    """A table in 小四 仿宋 across the text's width; its header row repeats on every page."""
    grid = doc.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, name in zip(header.cells, frame.columns):
        _cell(cell, str(name), bold=True)
    for values in frame.itertuples(index=False):
        for cell, value in zip(grid.add_row().cells, values):
            _cell(cell, str(value))
    widths = _widths(frame)
    grid.autofit = False
    for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths):  # LibreOffice reads the grid, Word the cells
        column.w = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _widths(frame) -> list:
    """Each column as wide as its longest text asks, within the text's width: a long 对象 or 项目
    wraps less, a short 等级 takes less. A CJK character is about 1.7 digits wide; every column
    also carries its cell's padding (the 2 added)."""
    longest = [
        max(sum(1.7 if ord(ch) > 0x2E80 else 1 for ch in str(v)) for v in [name, *frame[name]]) + 2
        for name in frame.columns
    ]
    capped = [
        min(max(n, 5.5), 22) for n in longest
    ]  # 5.5: two CJK characters, as 领先  # a very long cell wraps rather than squeeze the rest
    return [int(TEXT_WIDTH * n / sum(capped)) for n in capped]


def _cell(cell, content: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(content), H1_FONT if bold else BODY_FONT, TABLE_PT)


def _page_number(paragraph) -> None:
    """ "— 1 —": 4号 宋体 around a PAGE field, centred."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("— "), PAGE_FONT, PAGE_PT)
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        set_font(run, PAGE_FONT, PAGE_PT)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif instruction == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        else:
            element = OxmlElement("w:t")
            element.text = instruction
        run._r.append(element)
    set_font(paragraph.add_run(" —"), PAGE_FONT, PAGE_PT)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
