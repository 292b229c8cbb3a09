"""What the plan import and the report import share: finding stored rows by `match_key`.

Both imports go through these indexes, so a goal, activity, unit or goal area is recognised by
the same rule (bot.importers.matching) whichever file brought it in first.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.importers.matching import match_key, unit_path_key
from storage.models import UNIT_PATH_SEPARATOR, Activity, Goal, GoalArea, Unit


def keep_order(stored: Sequence[int | None]) -> list[int]:
    """Positions for items in file order: the stored ones kept while the file's order agrees
    with them (so an unchanged file changes nothing), else 0, 1, 2, ... in file order."""
    positions: list[int] = []
    previous = -1
    for position in stored:
        wanted = previous + 1 if position is None else position
        if wanted <= previous:
            return list(range(len(stored)))
        positions.append(wanted)
        previous = wanted
    return positions


class GoalAreas:
    """Goal areas by key; new ones are created last in order."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key = {
            match_key(a.name): a
            for a in session.exec(select(GoalArea).order_by(col(GoalArea.position))).all()
        }

    def find(self, name: str) -> GoalArea | None:
        """The area of this name, if stored."""
        return self.by_key.get(match_key(name))

    def get(self, name: str) -> tuple[GoalArea, bool]:
        """The area of this name, created if missing; (area, created)."""
        area = self.find(name)
        if area is not None:
            return area, False
        area = GoalArea(name=" ".join(name.split()), position=len(self.by_key))
        self.session.add(area)
        self.session.flush()
        self.by_key[match_key(name)] = area
        return area, True


class GoalTextTaken(Exception):
    """Giving a goal this text would give two goals of the year one text (one `match_key`)."""

    def __init__(self, *, number: str | None, text: str, other: str) -> None:
        self.number = number
        self.text = text
        self.other = other
        super().__init__(f"{number}: {text!r} is goal {other}'s text")


class Goals:
    """The goals of a year, found by number, else by the key of their text."""

    def __init__(self, session: Session, *, year: int) -> None:
        self.session = session
        self.year = year
        self.all = list(
            session.exec(select(Goal).where(Goal.year == year).order_by(col(Goal.id))).all()
        )

    def find(self, *, number: str | None, text: str) -> Goal | None:
        """The stored goal a file's goal names."""
        if number:
            for goal in self.all:
                if goal.number == number:
                    return goal
        key = match_key(text)
        return next((g for g in self.all if match_key(g.text) == key), None)

    def upsert(
        self,
        *,
        number: str | None,
        text: str,
        area_id: int | None,
        finance: bool,
        position: int | None,
    ) -> tuple[Goal, bool, bool]:
        """Find and update, or create, a goal; return (goal, created, changed)."""
        text = " ".join(text.split())
        goal = self.find(number=number, text=text)
        if goal is None:
            count = self.session.exec(
                select(func.count()).select_from(Goal).where(Goal.year == self.year)
            ).one()
            goal = Goal(
                year=self.year,
                number=number,
                text=text,
                area_id=area_id,
                is_council_finance_goal=finance,
                position=int(count) if position is None else position,
            )
            self.session.add(goal)
            self.session.flush()
            self.all.append(goal)
            return goal, True, False
        holder = next(
            (g for g in self.all if g.id != goal.id and match_key(g.text) == match_key(text)),
            None,
        )
        if holder is not None:
            raise GoalTextTaken(
                number=number or goal.number, text=text, other=holder.number or holder.text
            )
        updates: dict[str, object] = {
            "number": number or goal.number,
            "text": text,
            "area_id": area_id,
            "is_council_finance_goal": finance,
        }
        if position is not None:
            updates["position"] = position
        changed = False
        for key, value in updates.items():
            if getattr(goal, key) != value:
                setattr(goal, key, value)
                changed = True
        if changed:
            self.session.add(goal)
            self.session.flush()
        return goal, False, changed


class Activities:
    """The activities of some goals, found by goal and the key of their title."""

    def __init__(self, session: Session, *, goal_ids: Sequence[int]) -> None:
        self.by_key: dict[tuple[int, str], Activity] = {}
        for activity in session.exec(
            select(Activity)
            .where(col(Activity.goal_id).in_(list(goal_ids)))
            .order_by(col(Activity.position), col(Activity.id))
        ).all():
            # Two stored activities with one key (an older import): the first one is used.
            self.by_key.setdefault((activity.goal_id, match_key(activity.title)), activity)

    def find(self, *, goal_id: int, title: str) -> Activity | None:
        """The stored activity of this goal and title."""
        return self.by_key.get((goal_id, match_key(title)))

    def add(self, activity: Activity) -> None:
        """Remember a new activity."""
        self.by_key[(activity.goal_id, match_key(activity.title))] = activity


class Units:
    """Units by path; a path whose parts have the same keys is the same unit."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key = {
            unit_path_key(u.path.split(UNIT_PATH_SEPARATOR)): u
            for u in session.exec(select(Unit)).all()
        }
        self.created = 0

    def get(self, parts: Sequence[str]) -> Unit:
        """The unit at this path, created with its missing ancestors."""
        parent: Unit | None = None
        for end in range(1, len(parts) + 1):
            key = unit_path_key(parts[:end])
            unit = self.by_key.get(key)
            if unit is None:
                name = " ".join(parts[end - 1].split())
                path = f"{parent.path}{UNIT_PATH_SEPARATOR}{name}" if parent else name
                unit = Unit(
                    name=name,
                    parent_id=parent.id if parent else None,
                    path=path,
                    position=len(self.by_key),
                )
                self.session.add(unit)
                self.session.flush()
                self.by_key[key] = unit
                self.created += 1
            parent = unit
        assert parent is not None
        return parent

    def get_path(self, path: str) -> Unit:
        """The unit at an `A > B > C` path."""
        return self.get([p.strip() for p in path.split(">")])


def dedupe_units(units: list[Unit]) -> list[Unit]:
    """Two spellings of one unit are one responsible unit: keep the first."""
    unique: dict[int | None, Unit] = {}
    for unit in units:
        unique.setdefault(unit.id, unit)
    return list(unique.values())
