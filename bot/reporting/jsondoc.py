"""The report as JSON: the view's data with the prepared texts and printed numbers."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

from bot.reporting.prepare import PreparedReport


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def render_json(report: PreparedReport) -> str:
    """Serialise a prepared report; user text stays raw (each consumer escapes for itself)."""
    document = dataclasses.asdict(report.view)
    # What the importer could not place is a warning for admins, not the committee's content.
    admin = {"import_notes": document.pop("import_notes")}
    for section, item in zip(document["sections"], report.sections, strict=True):
        section["printed_number"] = item.number
    document.update(
        title=report.title,
        committee=report.committee,
        municipality=report.municipality,
        intro={"paragraphs": list(report.intro)},
        closing=[dataclasses.asdict(part) for part in report.closing],
        admin=admin,
    )
    return (
        json.dumps(document, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )
