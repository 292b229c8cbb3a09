"""Finishing touches for an archival, accessible PDF: what WeasyPrint 70 leaves out.

The PDF is rendered with WeasyPrint's `pdf/a-2a` variant: PDF/A-2 level A (ISO 19005-2) on
PDF 1.7, which embeds every font, adds the sRGB output intent and the XMP identification, and
forces the tagged structure (level A is the accessible level). PDF/UA-1 (ISO 14289-1) is built
on the same PDF 1.7, so one file can be both; WeasyPrint picks one variant per file, and this
module adds what PDF/UA-1 also asks for, on the `pydyf.PDF` object before it is written:

- the PDF/UA identification (`pdfuaid:part="1"`) next to PDF/A's in the XMP metadata;
- the running header and footer as artifacts: WeasyPrint marks their text as content but links
  it to no structure element, so a screen reader would meet it nowhere, or on every page;
- a `Scope` on every table header cell (`Column` in a table head, `Row` in its body or foot),
  besides the `Headers` ids WeasyPrint writes on the data cells;
- a readable description (`Contents`) on each link of the table of contents, which WeasyPrint
  fills with the anchor's id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
VARIANT = "pdf/a-2a"
PDFA_PART, PDFA_CONFORMANCE = 2, "A"
PDFUA_PART = 1


def _number(reference: Any) -> int:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def _walk(pdf: Any) -> Iterator[tuple[Any, str | None]]:
    """Every structure element reachable from the root, with its parent's type."""
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    stack: list[tuple[Any, str | None]] = [(root, None)]
    while stack:
        element, parent_type = stack.pop()
        yield element, parent_type
        kids = element.get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            text = kid.decode() if isinstance(kid, bytes) else kid
            if isinstance(text, str) and text.strip().endswith(" R"):
                child = pdf.objects[_number(kid)]
                if child.get("Type") == "/StructElem":
                    stack.append((child, element.get("S")))


def _tag_structure(pdf: Any) -> dict[bytes, set[int]]:
    """Give header cells their scope; return the marked-content ids the structure reaches."""
    reached: dict[bytes, set[int]] = {}
    row_groups: dict[int, str | None] = {}  # a row's number -> the type of its row group
    for element, parent_type in _walk(pdf):
        kind = element.get("S")
        if kind == "/TR":
            row_groups[element.number] = parent_type
        kids = element.get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int) and "Pg" in element:
                reached.setdefault(bytes(element["Pg"]), set()).add(kid)
    for element, _parent in _walk(pdf):
        if element.get("S") == "/TH":
            group = row_groups.get(_number(element["P"]))
            attributes = element.setdefault("A", {"O": "/Table"})
            attributes["Scope"] = "/Column" if group == "/THead" else "/Row"
    return reached


def _artifacts(pdf: Any, reached: dict[bytes, set[int]]) -> int:
    """Turn marked content no structure element reaches into artifacts; return how many."""
    from pydyf import Dictionary

    changed = 0
    for page_number, page_reference in enumerate(pdf.page_references):
        page = pdf.objects[_number(page_reference)]
        stream = pdf.objects[_number(page["Contents"])].stream
        known = reached.get(bytes(page_reference), set())
        orphans: set[int] = set()
        for index in range(1, len(stream) - 1):
            item = stream[index]
            if (
                isinstance(item, Dictionary)
                and "MCID" in item
                and stream[index + 1] == b"BDC"
                and item["MCID"] not in known
            ):
                orphans.add(item["MCID"])
                stream[index - 1], stream[index], stream[index + 1] = "/Artifact", b"", b"BMC"
        if orphans:
            changed += len(orphans)
            _unmap(pdf, page_number, orphans)
    return changed


def _unmap(pdf: Any, page_number: int, mcids: set[int]) -> None:
    """Drop the parent-tree entries of marked content that became artifacts."""
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    parent_tree = pdf.objects[_number(root["ParentTree"])]
    numbers = parent_tree["Nums"]
    for position in range(0, len(numbers), 2):
        if numbers[position] == page_number:
            entries = numbers[position + 1]
            for mcid in mcids:
                if mcid < len(entries):
                    entries[mcid] = "null"


def _describe_links(pdf: Any, link_texts: dict[str, str]) -> None:
    from pydyf import String

    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Subtype") == "/Link":
            destination = item.get("Dest")
            name = getattr(destination, "string", destination)
            if isinstance(name, str) and name in link_texts:
                item["Contents"] = String(link_texts[name])


def _identify(pdf: Any, document: Any) -> None:
    """Write the XMP metadata with the PDF/A and the PDF/UA identification."""
    rdf = ElementTree.fromstring(
        document.metadata.generate_rdf_metadata("a", PDFA_PART, PDFA_CONFORMANCE)
    )
    ElementTree.register_namespace("pdfuaid", PDFUA_NS)
    description = rdf.find(f"{{{RDF_NS}}}Description")
    assert description is not None
    description.set(f"{{{PDFUA_NS}}}part", str(PDFUA_PART))
    metadata = pdf.objects[_number(pdf.catalog["Metadata"])]
    header = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    )
    footer = b'</x:xmpmeta>\n<?xpacket end="r"?>'
    metadata.stream = [b"\n".join((header, ElementTree.tostring(rdf, encoding="utf-8"), footer))]


def finisher(link_texts: dict[str, str]) -> Any:
    """The `write_pdf(finisher=...)` callable: complete the PDF for PDF/A-2a and PDF/UA-1."""

    def finish(document: Any, pdf: Any) -> None:
        reached = _tag_structure(pdf)
        _artifacts(pdf, reached)
        _describe_links(pdf, link_texts)
        _identify(pdf, document)

    return finish
