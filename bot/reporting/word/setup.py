"""Set up the Word file: properties, language, styles, page, running header and footer."""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.reporting.prepare import PreparedReport
from bot.reporting.word.parts import (
    _AFTER_UPDATE_FIELDS,
    ACCENT,
    BOTTOM,
    FONT,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    TEXT_WIDTH,
    TOP,
    clean,
    field,
    small_grey,
)


def set_up(document: DocxDocument, report: PreparedReport) -> None:
    language = "sv-SE" if report.view.language == "sv" else "en-GB"
    properties = document.core_properties
    properties.title = clean(report.document_title)
    properties.subject = clean(report.committee)
    properties.author = clean(report.municipality or report.committee)
    properties.language = language
    properties.created = report.view.generated_at
    properties.modified = report.view.generated_at
    properties.last_modified_by = "Uppsikt"

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    r_pr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)  # spelling and hyphenation in the report's language
    r_pr.append(lang)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
        style.paragraph_format.keep_with_next = True

    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.header_distance = section.footer_distance = Mm(10)
    section.start_type = WD_SECTION_START.NEW_PAGE
    # The cover has no header or footer; the first page's are left empty.
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    small_grey(header.add_run(clean(report.title)))
    small_grey(header.add_run("\t" + clean(report.committee)))

    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    footer_left = " · ".join(p for p in (report.municipality, report.period_text) if p)
    small_grey(footer.add_run(clean(footer_left) + "\t"))
    pattern = report.t("page_footer")
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            field(footer, "PAGE", "1", small=True)
        elif piece == "{pages}":
            field(footer, "NUMPAGES", "1", small=True)
        elif piece:
            small_grey(footer.add_run(piece))

    # Ask Word to update the fields (the table of contents) when the document is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings = document.settings.element
    # Word rejects settings out of schema order: updateFields goes before these.
    following = [qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS]
    successor = next((child for child in settings if child.tag in following), None)
    if successor is not None:
        successor.addprevious(update)
    else:
        settings.append(update)
