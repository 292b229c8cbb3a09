"""The import template: an empty plan with one example row per sheet, as XLSX or CSV files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.planfile.format import (
    AREA_COLUMNS,
    CSV_COMPANIONS,
    PEOPLE_COLUMNS,
    ROLE_LABELS,
    TEMPLATE_SUFFIXES,
    XLSX_SUFFIXES,
    YES_NO,
    lang,
)
from bot.planfile.writers import write_csv, write_plan_csv, write_plan_xlsx


class TemplateError(ValueError):
    """The template cannot be written as asked; `key` and `params` say why, nothing was written."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass(frozen=True)
class TemplateFiles:
    """The files a template consists of: the activities (the workbook), and the CSV companions."""

    activities: Path
    people: Path | None = None
    areas: Path | None = None

    def all(self) -> list[Path]:
        """Every file, activities first."""
        return [p for p in (self.activities, self.people, self.areas) if p is not None]


def template_files(path: str | Path, *, language: str = "sv") -> TemplateFiles:
    """The files a template at `path` writes: for `plan.csv` also `plan-personer.csv` and
    `plan-malomraden.csv` (English: `plan-people.csv`, `plan-goal-areas.csv`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEMPLATE_SUFFIXES and suffix not in XLSX_SUFFIXES:
        raise TemplateError("template_unsupported", suffix=suffix or path.name)
    if suffix in XLSX_SUFFIXES:
        return TemplateFiles(path)
    code = lang(language)
    return TemplateFiles(
        path,
        path.with_name(f"{path.stem}-{CSV_COMPANIONS['people'].header(code)}{path.suffix}"),
        path.with_name(f"{path.stem}-{CSV_COMPANIONS['areas'].header(code)}{path.suffix}"),
    )


def template_rows(
    *, language: str = "sv", year: int | None = None
) -> tuple[list[object], list[object], str]:
    """The template's example activity row, example person row and example goal area."""
    year = year or date.today().year
    code = lang(language)
    activity: list[object] = [
        "1.10",
        "Kommunens ungdomar ska känna ökad trygghet.",
        "Barn och Unga",
        YES_NO[code][1],
        "Minst en NPF-utbildning för nyanställd personal inom utbildningsavdelningens "
        "verksamhetsområde",
        "Fylla på kompetensen om neuropsykiatriska funktionsnedsättningar hos nya medarbetare. "
        "Inleds löpande under året.",
        date(year, 1, 8),
        date(year, 6, 13),
        "Kommunstyrelsens förvaltning > Utbildning > Musikskola; "
        "Kommunstyrelsens förvaltning > Utbildning > Vuxenutbildning",
        "",
        "",
    ]
    person: list[object] = [
        "Anna Andersson",
        "anna.andersson@kommun.example",
        "Kommunstyrelsens förvaltning > Utbildning > Musikskola",
        ROLE_LABELS[code]["reporter"],
    ]
    return activity, person, "Barn och Unga"


def write_plan_template(
    path: str | Path, *, language: str = "sv", year: int | None = None, force: bool = False
) -> TemplateFiles:
    """Write the template (refusing to overwrite unless `force`); return the files written."""
    files = template_files(path, language=language)
    existing = [p for p in files.all() if p.exists()]
    if existing and not force:
        raise TemplateError("template_exists", files=", ".join(str(p) for p in existing))
    activity, person, area = template_rows(language=language, year=year)
    if files.people is None:
        write_plan_xlsx(
            files.activities,
            activity_rows=[activity],
            areas=[area],
            people_rows=[person],
            language=language,
            drop_downs=True,
        )
        return files
    assert files.areas is not None
    write_plan_csv(files.activities, activity_rows=[activity], language=language)
    write_csv(files.people, spec=PEOPLE_COLUMNS, rows=[person], language=language)
    write_csv(files.areas, spec=AREA_COLUMNS, rows=[[area]], language=language)
    return files
