"""The report importer: a published uppsiktsrapport (text, PDF or JSON) read into plain data."""

from bot.importers.report.files import REPORT_SUFFIXES, read_report, read_report_file
from bot.importers.report.lines import STATUS_LABELS
from bot.importers.report.model import ParsedActivity, ParsedGoal, ParsedReport, UnplacedText
from bot.importers.report.parser import parse_report_text

__all__ = [
    "REPORT_SUFFIXES",
    "STATUS_LABELS",
    "ParsedActivity",
    "ParsedGoal",
    "ParsedReport",
    "UnplacedText",
    "parse_report_text",
    "read_report",
    "read_report_file",
]
