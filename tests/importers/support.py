"""Helpers for the importer tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "bot" / "data" / "seed_2024_T1.txt"


def snapshot(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: equal snapshots mean an unchanged database."""
    import storage.models  # noqa: F401  (the tables, on SQLModel.metadata)

    with engine.connect() as connection:
        return {
            name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for name, table in sorted(SQLModel.metadata.tables.items())
        }


MINI = """ 1 Redovisning av arbete för de politiska målen

Inledande text om rapporten.

1.1 Sjukfrånvaron ska minska

Verksamhetens aktiviteter Startdatum Slutdatum

Införa hälsosamma scheman

• Kommunstyrelsens förvaltning
  • Social verksamhet


2024-01-01 2024-04-30

Syftet med aktiviteten.

 Pågående enligt plan

Det går enligt plan.

1.2 Arbetslösheten ska minska.

Verksamhetens aktiviteter Startdatum Slutdatum

Erbjuda anställningar

• Kommunstyrelsens förvaltning
  • Stab


2024-02-01 2024-12-31

Syfte två.

 Vänteläge

Väntar på finansiering.

 2 Kommunstyrelsens mål

Mål inom målområde Vuxna

• Arbetslösheten ska minska.

Verksamhetsmål för god ekonomisk hushållning

• Sjukfrånvaron ska minska.
"""


def write_pdf(pages: list[list[str]], path: Path) -> None:
    """Write a minimal PDF (Helvetica, WinAnsi) with one text line per list entry."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    number = 4
    for lines in pages:
        ops = [b"BT", b"/F1 9 Tf", b"11 TL", b"40 800 Td"]
        for line in lines:
            escaped = line.encode("cp1252").replace(b"\\", b"\\\\")
            escaped = escaped.replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"(" + escaped + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (number + 1)
        )
        objects[number + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        kids.append(b"%d 0 R" % number)
        number += 2
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for key in sorted(objects):
        offsets[key] = len(out)
        out += b"%d 0 obj\n" % key + objects[key] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for key in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[key]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
