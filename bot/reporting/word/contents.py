"""The table of contents of the Word file: a TOC field Word fills in, pre-filled as Word does.

Word builds a table of contents from the paragraphs of the heading styles within the field's
levels (`TOC \\o "1-2"`: Heading 1 and 2, outline levels 0 and 1 in the built-in styles; `\\u`
also takes paragraphs with those outline levels, `\\h` makes entries links, `\\z` hides the
page numbers in Web layout only). Until the fields are updated (Word asks on opening, since
the settings say `updateFields`), the field shows its last result: here one entry per heading
in the TOC 1 / TOC 2 styles with a dot leader, a link to a bookmark on the heading and a
`PAGEREF` field that Word, and LibreOffice as it lays out, fill with the heading's page.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from bot.reporting.prepare import PreparedReport
from bot.reporting.word.parts import TEXT_WIDTH, page_break

LEVELS = (1, 2)
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'


def contents(document: DocxDocument, report: PreparedReport) -> Paragraph:
    """Add the contents' heading and the paragraph the entries go before; return that one."""
    heading = document.add_paragraph(report.t("toc_title"), style="TOC Heading")
    heading.paragraph_format.keep_with_next = True
    _toc_styles(document)
    marker = document.add_paragraph()
    page_break(document)
    return marker


def fill_contents(document: DocxDocument, marker: Paragraph) -> None:
    """Bookmark every heading of the TOC's levels and write the field with one entry each."""
    headings = [
        (int(paragraph.style.style_id.removeprefix("Heading")), paragraph)
        for paragraph in document.paragraphs
        if paragraph.style is not None
        and paragraph.style.style_id in {f"Heading{level}" for level in LEVELS}
    ]
    for index, (level, heading) in enumerate(headings):
        name = f"_Toc{index + 1:08d}"
        _bookmark(heading, name, index + 1)
        entry = marker.insert_paragraph_before(style=document.styles[f"toc {level}"])
        if index == 0:  # the field spans the entries' paragraphs, as Word writes it
            _field_char(entry, "begin")
            _instruction(entry, TOC_INSTRUCTION)
            _field_char(entry, "separate")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        link.append(_text_run(heading.text))
        link.append(_tab_run())
        _page_reference(link, name)
        entry._p.append(link)
        if index == len(headings) - 1:
            _field_char(entry, "end")
    marker._p.getparent().remove(marker._p)


def _toc_styles(document: DocxDocument) -> None:
    """TOC 1 and TOC 2 as Word's built-in styles: the right edge with dot leaders."""
    for level in LEVELS:
        # Word knows its built-in styles by these lower-case names; the id is "TOC1".
        name = f"toc {level}"
        if name in [s.name for s in document.styles]:
            continue
        style = document.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.name_val = name
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        style.font.bold = level == 1


def _bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph_properties = paragraph._p.pPr
    if paragraph_properties is not None:
        paragraph_properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _run(*children: object) -> object:
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    return run


def _text_run(text: str) -> object:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return _run(element)


def _tab_run() -> object:
    return _run(OxmlElement("w:tab"))


def _char(kind: str) -> object:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return _run(char)


def _code(instruction: str) -> object:
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    return _run(code)


def _field_char(paragraph: Paragraph, kind: str) -> None:
    paragraph._p.append(_char(kind))


def _instruction(paragraph: Paragraph, instruction: str) -> None:
    paragraph._p.append(_code(instruction))


def _page_reference(parent: object, bookmark: str) -> None:
    """A PAGEREF field to the bookmark; its result is empty until the fields are updated."""
    for element in (_char("begin"), _code(f"PAGEREF {bookmark} \\h"), _char("separate")):
        parent.append(element)  # type: ignore[attr-defined]
    parent.append(_char("end"))  # type: ignore[attr-defined]
