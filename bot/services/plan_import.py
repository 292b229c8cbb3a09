"""Import a year's plan (goals, activities, units, people) from a CSV or XLSX file.

The whole file is validated first, against what the database holds too (known goal areas, a
closed period); any error refuses the file and nothing is written. Importing is idempotent:
goals are found by number (else text), activities by goal and title within the year, people by
e-mail. Activities, people and roles in the database that the file does not name are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.domain.periods import PeriodKey, default_deadline, parse_period
from bot.importers.plan_file import (
    PlanContext,
    PlanFile,
    PlanIssue,
    PlanRow,
    read_plan_file,
)
from storage.db import session_scope
from storage.models import (
    UNIT_PATH_SEPARATOR,
    UNIT_ROLES,
    Activity,
    GlobalRole,
    Goal,
    GoalArea,
    Person,
    Unit,
    UnitRole,
    utcnow,
)
from storage.queries import (
    add_status_report,
    current_reports,
    find_goal_area,
    find_person_by_email,
    get_or_create_goal_area,
    get_or_create_period,
    get_or_create_unit_path,
    get_period,
    set_activity_units,
    upsert_goal,
)

IMPORT_SOURCE = "import"

_SUMMARY: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Planen för {year} importerades från {file}.",
        "unchanged": "Ingenting ändrades: databasen stämde redan med filen.",
        "goals": "Mål: {created} nya, {updated} ändrade.",
        "activities": "Aktiviteter: {created} nya, {updated} ändrade, {unchanged} oförändrade.",
        "units": "Enheter: {created} nya.",
        "people": "Personer: {created} nya, {updated} ändrade; {roles} nya roller.",
        "areas": "Målområden: {created} nya.",
        "bootstrapped": (
            "Inga målområden fanns, så filens egna målområden skapades i den ordning de först "
            "förekommer."
        ),
        "reports": "Status för {period}: {added} nya versioner.",
        "period_created": "Perioden {period} skapades.",
        "left_alone": (
            "Aktiviteter, personer och roller som finns i databasen men inte i filen lämnades orörda."
        ),
        "warning": "Varning: {text}",
    },
    "en": {
        "title": "The plan for {year} was imported from {file}.",
        "unchanged": "Nothing changed: the database already matched the file.",
        "goals": "Goals: {created} new, {updated} changed.",
        "activities": "Activities: {created} new, {updated} changed, {unchanged} unchanged.",
        "units": "Units: {created} new.",
        "people": "People: {created} new, {updated} changed; {roles} new roles.",
        "areas": "Goal areas: {created} new.",
        "bootstrapped": (
            "No goal areas existed, so the file's own goal areas were created in the order they "
            "first appear."
        ),
        "reports": "Statuses for {period}: {added} new versions.",
        "period_created": "The period {period} was created.",
        "left_alone": (
            "Activities, people and roles in the database that the file does not name were left "
            "alone."
        ),
        "warning": "Warning: {text}",
    },
}


@dataclass
class PlanImportResult:
    """What an import did, in counts; all zero (and `changed` false) for a re-import."""

    path: Path
    year: int
    period: str | None = None
    goals_created: int = 0
    goals_updated: int = 0
    activities_created: int = 0
    activities_updated: int = 0
    activities_unchanged: int = 0
    units_created: int = 0
    people_created: int = 0
    people_updated: int = 0
    roles_added: int = 0
    status_reports_added: int = 0
    areas_created: int = 0
    areas_bootstrapped: bool = False
    period_created: bool = False
    warnings: list[PlanIssue] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return any(
            (
                self.goals_created,
                self.goals_updated,
                self.activities_created,
                self.activities_updated,
                self.units_created,
                self.people_created,
                self.people_updated,
                self.roles_added,
                self.status_reports_added,
                self.areas_created,
                self.period_created,
            )
        )

    def summary(self, language: str = "sv") -> str:
        """The result as a few lines of text for the person who ran the import."""
        text = _SUMMARY["en" if language == "en" else "sv"]
        lines = [text["title"].format(year=self.year, file=self.path.name)]
        if not self.changed:
            lines.append(text["unchanged"])
        lines += [
            text["goals"].format(created=self.goals_created, updated=self.goals_updated),
            text["activities"].format(
                created=self.activities_created,
                updated=self.activities_updated,
                unchanged=self.activities_unchanged,
            ),
            text["units"].format(created=self.units_created),
            text["people"].format(
                created=self.people_created, updated=self.people_updated, roles=self.roles_added
            ),
            text["areas"].format(created=self.areas_created),
        ]
        if self.areas_bootstrapped:
            lines.append(text["bootstrapped"])
        if self.period_created:
            lines.append(text["period_created"].format(period=self.period))
        if self.period:
            lines.append(
                text["reports"].format(period=self.period, added=self.status_reports_added)
            )
        lines.append(text["left_alone"])
        lines += [text["warning"].format(text=w.format(language)) for w in self.warnings]
        return "\n".join(lines)


def import_plan(
    engine: Engine,
    *,
    path: str | Path,
    people_path: str | Path | None = None,
    areas_path: str | Path | None = None,
    year: int | None = None,
    period: str | PeriodKey | None = None,
    settings: Settings,
) -> PlanImportResult:
    """Validate a plan file completely, then store it in one transaction; raise PlanFileError."""
    path = Path(path)
    period_key = parse_period(period) if isinstance(period, str) else period
    if year is None:
        year = period_key.year if period_key else datetime.now(settings.timezone).year
    elif period_key is not None and period_key.year != year:
        raise ValueError(
            f"--year {year} and --period {period_key} disagree; the plan of a year is "
            "reported in that year's periods"
        )
    with session_scope(engine) as session:
        context = _context(session, year=year, period_key=period_key)
        # Raises PlanFileError before anything is written; the session has only read so far.
        plan = read_plan_file(
            path=path,
            people_path=people_path,
            areas_path=areas_path,
            context=context,
            language=settings.language,
        )
        result = PlanImportResult(
            path=path,
            year=year,
            period=str(period_key) if period_key else None,
            areas_bootstrapped=plan.areas_bootstrapped,
            warnings=list(plan.warnings),
        )
        _store(
            session, plan=plan, year=year, period_key=period_key, settings=settings, result=result
        )
    return result


def _context(session: Session, *, year: int, period_key: PeriodKey | None) -> PlanContext:
    """What validation must know of the database."""
    areas = session.exec(select(GoalArea).order_by(col(GoalArea.position), col(GoalArea.id))).all()
    goals = session.exec(select(Goal).where(Goal.year == year).order_by(col(Goal.id))).all()
    period_row = (
        get_period(session, year=period_key.year, tertial=period_key.tertial)
        if period_key
        else None
    )
    return PlanContext(
        goal_areas=tuple(a.name for a in areas),
        goals=tuple((g.number, g.text) for g in goals),
        period=str(period_key) if period_key else None,
        period_closed=period_row is not None and period_row.state == "closed",
    )


def _count(session: Session, table: type) -> int:
    return int(session.exec(select(func.count()).select_from(table)).one())


def _store(
    session: Session,
    *,
    plan: PlanFile,
    year: int,
    period_key: PeriodKey | None,
    settings: Settings,
    result: PlanImportResult,
) -> None:
    units_before = _count(session, Unit)
    area_ids = _store_areas(session, plan=plan, result=result)
    goals_by_key = _store_goals(session, plan=plan, year=year, area_ids=area_ids, result=result)
    units = _UnitPaths(session)
    activities = _store_activities(
        session, plan=plan, goals=goals_by_key, units=units, result=result
    )
    _store_people(session, plan=plan, units=units, result=result)
    if period_key is not None:
        _store_reports(
            session,
            plan=plan,
            activities=activities,
            period_key=period_key,
            settings=settings,
            result=result,
        )
    result.units_created = _count(session, Unit) - units_before


def _store_areas(session: Session, *, plan: PlanFile, result: PlanImportResult) -> dict[str, int]:
    """Create the areas sheet's missing areas (in its order), or the rows' own when bootstrapping."""
    names = list(plan.areas)
    if plan.areas_bootstrapped:
        names += [g.area for g in plan.goals if g.area]
    ids: dict[str, int] = {}
    for name in names:
        area = find_goal_area(session, name=name)
        if area is None:
            area = get_or_create_goal_area(session, name=name)
            result.areas_created += 1
        assert area.id is not None
        ids[name.casefold()] = area.id
    for goal in plan.goals:
        if goal.area and goal.area.casefold() not in ids:
            area = find_goal_area(session, name=goal.area)
            # Validation accepted only known areas, so it exists.
            assert area is not None and area.id is not None
            ids[goal.area.casefold()] = area.id
    return ids


def _store_goals(
    session: Session,
    *,
    plan: PlanFile,
    year: int,
    area_ids: dict[str, int],
    result: PlanImportResult,
) -> dict[str, Goal]:
    existing = set(session.exec(select(Goal.id).where(Goal.year == year)).all())
    goals: dict[str, Goal] = {}
    for plan_goal in plan.goals:
        goal, changed = upsert_goal(
            session,
            year=year,
            number=plan_goal.number,
            text=plan_goal.text,
            area_id=area_ids[plan_goal.area.casefold()] if plan_goal.area else None,
            is_council_finance_goal=plan_goal.council_finance_goal,
            position=plan_goal.position,
        )
        if goal.id not in existing:
            result.goals_created += 1
            existing.add(goal.id)
        elif changed:
            result.goals_updated += 1
        goals[plan_goal.key] = goal
    return goals


class _UnitPaths:
    """Units by path, created as needed; a path differing only in case is the same unit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, Unit] = {}
        self.spelling = {p.casefold(): p for p in session.exec(select(Unit.path)).all()}

    def get(self, path: str) -> Unit:
        canonical = ""
        for part in path.split(UNIT_PATH_SEPARATOR):
            wanted = f"{canonical}{UNIT_PATH_SEPARATOR}{part}" if canonical else part
            canonical = self.spelling.setdefault(wanted.casefold(), wanted)
        return get_or_create_unit_path(self.session, path=canonical, cache=self.cache)


def _store_activities(
    session: Session,
    *,
    plan: PlanFile,
    goals: dict[str, Goal],
    units: _UnitPaths,
    result: PlanImportResult,
) -> dict[int, Activity]:
    """Create or update each row's activity; return them by plan row number."""
    goal_ids = [g.id for g in goals.values()]
    existing: dict[tuple[int, str], Activity] = {}
    for activity in session.exec(
        select(Activity)
        .where(col(Activity.goal_id).in_(goal_ids))
        .order_by(col(Activity.position), col(Activity.id))
    ).all():
        # Two stored activities with one title (an older import): the first one is updated.
        existing.setdefault((activity.goal_id, activity.title.casefold()), activity)
    by_row: dict[int, Activity] = {}
    for row in plan.rows:
        goal = goals[row.goal_key]
        assert goal.id is not None
        unit_rows = _dedupe([units.get(p) for p in row.unit_paths])
        activity = existing.get((goal.id, row.title.casefold()))
        if activity is None:
            activity = Activity(
                goal_id=goal.id,
                title=row.title,
                purpose=row.purpose,
                start=row.start,
                end=row.end,
                position=row.position,
            )
            session.add(activity)
            session.flush()
            set_activity_units(session, activity=activity, units=unit_rows)
            existing[(goal.id, row.title.casefold())] = activity
            result.activities_created += 1
        elif _update_activity(session, activity=activity, row=row, units=unit_rows):
            result.activities_updated += 1
        else:
            result.activities_unchanged += 1
        by_row[row.row] = activity
    return by_row


def _dedupe(units: list[Unit]) -> list[Unit]:
    """Two spellings of one unit (case) are one responsible unit: keep the first."""
    unique: dict[int | None, Unit] = {}
    for unit in units:
        unique.setdefault(unit.id, unit)
    return list(unique.values())


def _update_activity(
    session: Session, *, activity: Activity, row: PlanRow, units: list[Unit]
) -> bool:
    """Bring a stored activity in line with its row; return whether anything changed."""
    changed = False
    for key, value in (
        ("title", row.title),
        ("purpose", row.purpose),
        ("start", row.start),
        ("end", row.end),
        ("position", row.position),
    ):
        if getattr(activity, key) != value:
            setattr(activity, key, value)
            changed = True
    changed = set_activity_units(session, activity=activity, units=units) or changed
    if changed:
        activity.updated_at = utcnow()
        session.add(activity)
        session.flush()
    return changed


def _store_people(
    session: Session, *, plan: PlanFile, units: _UnitPaths, result: PlanImportResult
) -> None:
    people: dict[str, Person] = {}
    for row in plan.people:
        person = people.get(row.email)
        if person is None:
            person = find_person_by_email(session, email=row.email)
            if person is None:
                person = Person(name=row.name, email=row.email)
                session.add(person)
                session.flush()
                result.people_created += 1
            elif person.name != row.name:
                person.name = row.name
                session.add(person)
                session.flush()
                result.people_updated += 1
            people[row.email] = person
        assert person.id is not None
        if row.role in UNIT_ROLES:
            assert row.unit_path is not None
            unit = units.get(row.unit_path)
            if session.get(UnitRole, (person.id, unit.id, row.role)) is None:
                session.add(UnitRole(person_id=person.id, unit_id=unit.id, role=row.role))
                session.flush()
                result.roles_added += 1
        elif session.get(GlobalRole, (person.id, row.role)) is None:
            session.add(GlobalRole(person_id=person.id, role=row.role))
            session.flush()
            result.roles_added += 1


def _store_reports(
    session: Session,
    *,
    plan: PlanFile,
    activities: dict[int, Activity],
    period_key: PeriodKey,
    settings: Settings,
    result: PlanImportResult,
) -> None:
    """Store each row's status as a new version, only where it differs from the current one."""
    period_row, result.period_created = get_or_create_period(
        session,
        year=period_key.year,
        tertial=period_key.tertial,
        deadline=default_deadline(period_key, settings.timezone).astimezone(UTC),
    )
    assert period_row.id is not None
    current = current_reports(session, period_id=period_row.id)
    author = f"Import: {plan.path.name}"[:200]
    for row in plan.rows:
        if row.status is None:
            continue
        activity = activities[row.row]
        assert activity.id is not None
        added = add_status_report(
            session,
            activity_id=activity.id,
            period_id=period_row.id,
            status=row.status.value,
            comment=row.comment,
            author_person_id=None,
            author_name=author,
            source=IMPORT_SOURCE,
            current=current.get(activity.id),
            skip_if_unchanged=True,
        )
        if added is not None:
            result.status_reports_added += 1
