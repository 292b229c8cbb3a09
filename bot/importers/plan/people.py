"""Validate the people and goal-area rows of a plan."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from bot.importers.issues import Issue, msg
from bot.importers.matching import match_key
from bot.importers.plan.cells import UNIT_PATH_SEPARATOR, Cells
from bot.importers.plan.model import PersonRow
from bot.planfile.format import (
    MAX_AREA_NAME,
    MAX_EMAIL,
    MAX_PERSON_NAME,
    parse_role,
    role_choices,
)
from storage.models import GLOBAL_ROLES, UNIT_ROLES

# A sanity check only: one @, something on both sides, a dot in the domain, no spaces.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def known_unit_paths(paths: Iterable[str]) -> dict[str, str]:
    """Unit paths and all their ancestors, by key -> spelling (the first one wins)."""
    known: dict[str, str] = {}
    for path in paths:
        parts = path.split(UNIT_PATH_SEPARATOR)
        for end in range(1, len(parts) + 1):
            prefix = UNIT_PATH_SEPARATOR.join(parts[:end])
            known.setdefault(match_key(prefix), prefix)
    return known


def read_people(
    rows: list[Cells], *, known_units: dict[str, str]
) -> tuple[list[PersonRow], list[Issue], list[Issue]]:
    """People rows, errors and warnings. A unit must be one the plan or the database has."""
    people: list[PersonRow] = []
    warnings: list[Issue] = []
    issues: list[Issue] = []
    names: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        name = row.line("name")
        if not name:
            row.fail("name", msg("plan_required"))
        else:
            row.limit("name", name, MAX_PERSON_NAME)
        email = row.line("email").lower()
        if not email:
            row.fail("email", msg("plan_required"))
        elif len(email) > MAX_EMAIL or not _EMAIL_RE.match(email):
            row.fail("email", msg("plan_bad_email", value=row.line("email")[:80]))
        role_text = row.line("role")
        role = parse_role(role_text)
        if not role_text:
            row.fail("role", msg("plan_required"))
        elif role is None:
            row.fail("role", msg("plan_unknown_role", value=role_text[:40], allowed=role_choices))
        unit_text = row.line("unit")
        unit_path: str | None = None
        if unit_text:
            unit_path = row.unit_path("unit", unit_text)
        if role in UNIT_ROLES and not unit_text:
            row.fail("unit", msg("plan_role_needs_unit", role=role_text))
        if role in GLOBAL_ROLES and unit_path:
            warnings.append(
                row.issue("unit", msg("plan_warn_global_role_unit", role=role_text, unit=unit_path))
            )
            unit_path = None
        if unit_path is not None:
            unit_path = _known_unit(row, unit_path, known_units)
        if name and email:
            first = names.setdefault(email, (name, row.number))
            if first[0] != name:
                row.fail(
                    "name",
                    msg("plan_name_conflict", email=email, other=first[0], row=first[1]),
                )
        if email and role:
            identity = (email, role, match_key(unit_path or ""))
            if identity in seen:
                row.fail("role", msg("plan_duplicate_person", row=seen[identity]))
            else:
                seen[identity] = row.number
        issues += row.issues
        if not row.issues and role is not None:
            people.append(PersonRow(row.number, name, email, unit_path, role))
    return people, issues, warnings


def _known_unit(row: Cells, path: str, known: dict[str, str]) -> str | None:
    """The unit's stored (or planned) spelling; an error when neither the plan nor the database
    has it, so a typo never becomes a new unit of its own."""
    spelling = known.get(match_key(path))
    if spelling is not None:
        return spelling
    close = difflib.get_close_matches(match_key(path), list(known), n=1, cutoff=0.6)
    if close:
        row.fail(
            "unit", msg("plan_unknown_unit_suggest", value=path[:120], suggestion=known[close[0]])
        )
    else:
        row.fail("unit", msg("plan_unknown_unit", value=path[:120]))
    return None


def read_areas(rows: list[Cells]) -> tuple[list[str], list[Issue]]:
    """Goal-area names in order (a name listed twice counts once), and errors."""
    names: list[str] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    for row in rows:
        name = row.line("name")
        if not name or not row.limit("name", name, MAX_AREA_NAME):
            issues += row.issues
            continue
        if match_key(name) not in seen:
            seen.add(match_key(name))
            names.append(name)
    return names, issues


def known_areas(database: Iterable[str], sheet: Iterable[str]) -> dict[str, str]:
    """Known goal areas by key -> their spelling (the database's first)."""
    known: dict[str, str] = {}
    for name in [*database, *sheet]:
        known.setdefault(match_key(name), " ".join(name.split()))
    return known


__all__ = ["known_areas", "known_unit_paths", "read_areas", "read_people"]
