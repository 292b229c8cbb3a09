"""The plan importer: a CSV or XLSX plan validated into plain rows (see read.py)."""

from bot.importers.issues import Issue, PlanFileError
from bot.importers.plan.model import PersonRow, PlanContext, PlanFile, PlanGoal, PlanRow, StoredGoal
from bot.importers.plan.read import read_plan_file

__all__ = [
    "Issue",
    "PersonRow",
    "PlanContext",
    "PlanFile",
    "PlanFileError",
    "PlanGoal",
    "PlanRow",
    "StoredGoal",
    "read_plan_file",
]
