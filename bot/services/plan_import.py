"""Import a year's plan (goals, activities, units, people) from a CSV or XLSX file.

The whole file is validated first, against what the database holds too (known goal areas and
units, the goals of the year); any error refuses the file and nothing is written. Importing is
idempotent: goals are found by number (else text), activities by goal and title within the
year, units by path, all by `match_key`, people by e-mail. What the file does not name is left
alone. The year is the file's own (its dates), checked against `--year` or `--period`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import i18n
from bot.config import Settings
from bot.domain.periods import PeriodKey, default_deadline, parse_period
from bot.importers.issues import ImportOptionsError, Issue, PlanFileError, msg
from bot.importers.matching import clean_block
from bot.importers.plan import PlanContext, PlanFile, StoredGoal, read_plan_file
from bot.services import audit
from bot.services.import_matching import (
    Activities,
    GoalAreas,
    Goals,
    Units,
    dedupe_units,
    keep_order,
)
from storage.db import session_scope
from storage.models import (
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
    find_person_by_email,
    get_period,
    set_activity_units,
)

IMPORT_SOURCE = "import"


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
    status_reports_unchanged: int = 0
    areas_created: int = 0
    areas_bootstrapped: bool = False
    period_created: bool = False
    period_state: str | None = None
    # The period's deadline in the configured time zone, when the import created the period.
    period_deadline: datetime | None = None
    warnings: list[Issue] = field(default_factory=list)

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

        def t(key: str, **params: object) -> str:
            return i18n.t(language, key, **params)

        lines = [t("plan_sum_title", year=self.year, file=self.path.name)]
        if not self.changed:
            lines.append(t("plan_sum_unchanged"))
        lines += [
            t("plan_sum_goals", created=self.goals_created, updated=self.goals_updated),
            t(
                "plan_sum_activities",
                created=self.activities_created,
                updated=self.activities_updated,
                unchanged=self.activities_unchanged,
            ),
            t("plan_sum_units", created=self.units_created),
            t(
                "plan_sum_people",
                created=self.people_created,
                updated=self.people_updated,
                roles=self.roles_added,
            ),
            t("plan_sum_areas", created=self.areas_created),
        ]
        if self.areas_bootstrapped:
            lines.append(t("plan_sum_bootstrapped"))
        if self.period_created and self.period_deadline is not None:
            key = (
                "plan_sum_period_closed"
                if self.period_state == "closed"
                else "plan_sum_period_open"
            )
            lines.append(t(key, period=self.period, deadline=_local(self.period_deadline)))
        if self.period:
            lines.append(
                t(
                    "plan_sum_reports",
                    period=self.period,
                    added=self.status_reports_added,
                    unchanged=self.status_reports_unchanged,
                )
            )
        lines.append(t("plan_sum_left_alone"))
        lines += [t("imp_warning", text=w.format(language)) for w in self.warnings]
        return "\n".join(lines)


def _local(moment: datetime) -> str:
    zone = getattr(moment.tzinfo, "key", None)
    return f"{moment:%Y-%m-%d %H:%M}" + (f" ({zone})" if zone else "")


def import_plan(
    engine: Engine,
    *,
    path: str | Path,
    people_path: str | Path | None = None,
    areas_path: str | Path | None = None,
    year: int | None = None,
    period: str | PeriodKey | None = None,
    settings: Settings,
    now: datetime | None = None,
) -> PlanImportResult:
    """Validate a plan file completely, then store it in one transaction.

    Raises PlanFileError (every problem, nothing written) or ImportOptionsError (`year` and
    `period` disagree).
    """
    path = Path(path)
    language = settings.language
    period_key = parse_period(period) if isinstance(period, str) else period
    if year is not None and period_key is not None and period_key.year != year:
        raise ImportOptionsError(
            msg("plan_year_period", year=year, period=str(period_key)), language=language
        )
    given = year if year is not None else (period_key.year if period_key else None)
    option = "--year" if year is not None else f"--period {period_key}"
    with session_scope(engine) as session:
        context = _context(
            session, year=given, option=option, period_key=period_key, settings=settings
        )
        # Raises PlanFileError before anything is written; the session has only read so far.
        plan = read_plan_file(
            path=path,
            people_path=people_path,
            areas_path=areas_path,
            context=context,
            language=language,
        )
        result = PlanImportResult(
            path=path,
            year=plan.year,
            period=str(period_key) if period_key else None,
            areas_bootstrapped=plan.areas_bootstrapped,
            warnings=list(plan.warnings),
        )
        # A refusal found while storing (a changed status of a closed period) raises, and the
        # unit of work rolls back: nothing of the file is kept.
        _store(session, plan=plan, period_key=period_key, settings=settings, now=now, result=result)
    return result


def _context(
    session: Session,
    *,
    year: int | None,
    option: str,
    period_key: PeriodKey | None,
    settings: Settings,
) -> PlanContext:
    """What validation must know of the database and the command line."""
    areas = session.exec(select(GoalArea).order_by(col(GoalArea.position), col(GoalArea.id))).all()
    goals = session.exec(select(Goal).order_by(col(Goal.id))).all()
    return PlanContext(
        goal_areas=tuple(a.name for a in areas),
        goals=tuple(StoredGoal(g.year, g.number, g.text) for g in goals),
        unit_paths=tuple(session.exec(select(Unit.path)).all()),
        year=year,
        year_option=option,
        period=str(period_key) if period_key else None,
        fallback_year=datetime.now(settings.timezone).year,
    )


def _store(
    session: Session,
    *,
    plan: PlanFile,
    period_key: PeriodKey | None,
    settings: Settings,
    now: datetime | None,
    result: PlanImportResult,
) -> None:
    area_ids = _store_areas(session, plan=plan, result=result)
    goals_by_key = _store_goals(session, plan=plan, area_ids=area_ids, result=result)
    units = Units(session)
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
            now=now or datetime.now(UTC),
            result=result,
        )
    result.units_created = units.created


def _store_areas(session: Session, *, plan: PlanFile, result: PlanImportResult) -> dict[str, int]:
    """Create the areas sheet's missing areas (in its order), or the rows' own when bootstrapping."""
    areas = GoalAreas(session)
    names = list(plan.areas)
    if plan.areas_bootstrapped:
        names += [g.area for g in plan.goals if g.area]
    ids: dict[str, int] = {}
    for name in names + [g.area for g in plan.goals if g.area]:
        area, created = areas.get(name)
        result.areas_created += int(created)
        assert area.id is not None
        ids[name] = area.id
    return ids


def _store_goals(
    session: Session, *, plan: PlanFile, area_ids: dict[str, int], result: PlanImportResult
) -> dict[str, Goal]:
    goals = Goals(session, year=plan.year)
    stored = [goals.find(number=g.number, text=g.text) for g in plan.goals]
    positions = keep_order([g.position if g else None for g in stored])
    by_key: dict[str, Goal] = {}
    for plan_goal, position in zip(plan.goals, positions, strict=True):
        goal, created, changed = goals.upsert(
            number=plan_goal.number,
            text=plan_goal.text,
            area_id=area_ids[plan_goal.area] if plan_goal.area else None,
            finance=plan_goal.council_finance_goal,
            position=position,
        )
        result.goals_created += int(created)
        result.goals_updated += int(changed)
        by_key[plan_goal.key] = goal
    return by_key


def _store_activities(
    session: Session,
    *,
    plan: PlanFile,
    goals: dict[str, Goal],
    units: Units,
    result: PlanImportResult,
) -> dict[int, Activity]:
    """Create or update each row's activity; return them by plan row number."""
    existing = Activities(session, goal_ids=[g.id for g in goals.values() if g.id is not None])
    positions: dict[int, int] = {}
    for goal_key in {r.goal_key for r in plan.rows}:
        rows = [r for r in plan.rows if r.goal_key == goal_key]
        goal_id = goals[goal_key].id
        assert goal_id is not None
        stored = [existing.find(goal_id=goal_id, title=r.title) for r in rows]
        for row, position in zip(
            rows, keep_order([a.position if a else None for a in stored]), strict=True
        ):
            positions[row.row] = position
    by_row: dict[int, Activity] = {}
    for row in plan.rows:
        goal = goals[row.goal_key]
        assert goal.id is not None
        unit_rows = dedupe_units([units.get_path(p) for p in row.unit_paths])
        fields = {
            "title": row.title,
            "purpose": row.purpose,
            "start": row.start,
            "end": row.end,
            "position": positions[row.row],
        }
        activity = existing.find(goal_id=goal.id, title=row.title)
        if activity is None:
            activity = Activity(goal_id=goal.id, **fields)  # type: ignore[arg-type]
            session.add(activity)
            session.flush()
            set_activity_units(session, activity=activity, units=unit_rows)
            existing.add(activity)
            result.activities_created += 1
        elif update_activity(session, activity=activity, fields=fields, units=unit_rows):
            result.activities_updated += 1
        else:
            result.activities_unchanged += 1
        by_row[row.row] = activity
    return by_row


def update_activity(
    session: Session, *, activity: Activity, fields: dict[str, object], units: list[Unit]
) -> bool:
    """Bring a stored activity in line with a file; return whether anything changed."""
    changed = False
    for key, value in fields.items():
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
    session: Session, *, plan: PlanFile, units: Units, result: PlanImportResult
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
            unit = units.get_path(row.unit_path)
            assert unit.id is not None
            if session.get(UnitRole, (person.id, unit.id, row.role)) is None:
                session.add(UnitRole(person_id=person.id, unit_id=unit.id, role=row.role))
                session.flush()
                result.roles_added += 1
                audit.record(
                    session,
                    action="role_added",
                    actor=None,
                    subject=f"{person.name}: {row.role}",
                    unit=unit.path,
                )
        elif session.get(GlobalRole, (person.id, row.role)) is None:
            session.add(GlobalRole(person_id=person.id, role=row.role))
            session.flush()
            result.roles_added += 1
            audit.record(
                session, action="role_added", actor=None, subject=f"{person.name}: {row.role}"
            )


def _store_reports(
    session: Session,
    *,
    plan: PlanFile,
    activities: dict[int, Activity],
    period_key: PeriodKey,
    settings: Settings,
    now: datetime,
    result: PlanImportResult,
) -> None:
    """Store each row's status as a new version, only where it differs from the current one.

    A period the import creates gets the default deadline, and is closed if that has passed.
    An existing closed period takes no changed status: those rows are refused, by name.
    """
    period_row = get_period(session, year=period_key.year, tertial=period_key.tertial)
    if period_row is None:
        from storage.models import Period

        deadline = default_deadline(period_key, settings.timezone)
        closed = deadline.astimezone(UTC) <= now
        period_row = Period(
            year=period_key.year,
            tertial=period_key.tertial,
            deadline=deadline.astimezone(UTC),
            state="closed" if closed else "open",
            closed_at=utcnow() if closed else None,
        )
        session.add(period_row)
        session.flush()
        result.period_created = True
        result.period_deadline = deadline
    result.period_state = period_row.state
    assert period_row.id is not None
    current = current_reports(session, period_id=period_row.id)
    author = f"Import: {plan.path.name}"[:200]
    changed: list[tuple[Activity, str, str]] = []
    refused: list[Issue] = []
    for row in plan.rows:
        if row.status is None:
            continue
        activity = activities[row.row]
        assert activity.id is not None
        stored = current.get(activity.id)
        if (
            stored is not None
            and stored.status == row.status.value
            and clean_block(stored.comment) == row.comment
        ):
            result.status_reports_unchanged += 1
            continue
        if period_row.state == "closed" and not result.period_created:
            now_text = stored.status if stored else msg("plan_not_reported")
            refused.append(
                Issue(
                    row.label,
                    row.row,
                    row.status_column,
                    msg(
                        "plan_period_closed", period=str(period_key), current=_status_text(now_text)
                    ),
                )
            )
            continue
        changed.append((activity, row.status.value, row.comment))
    if refused:
        raise PlanFileError(refused, language=settings.language)
    for activity, status, comment in changed:
        assert activity.id is not None
        add_status_report(
            session,
            activity_id=activity.id,
            period_id=period_row.id,
            status=status,
            comment=comment,
            author_person_id=None,
            author_name=author,
            source=IMPORT_SOURCE,
            current=current.get(activity.id),
        )
        result.status_reports_added += 1


def _status_text(value: object) -> object:
    """A stored status as its label in the message's language."""
    if isinstance(value, str):
        from bot.domain.status import LABELS, Status
        from bot.planfile.format import Localised

        status = Status(value)
        return Localised(LABELS["sv"][status], LABELS["en"][status])
    return value
