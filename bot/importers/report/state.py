"""The parser's shared state: the classified lines and what has been found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.importers.issues import Issue, Msg, msg
from bot.importers.report.lines import Line
from bot.importers.report.model import ParsedActivity, UnplacedText
from bot.importers.report.paragraphs import Para, join_paras, short


@dataclass
class ParseState:
    """One report being parsed."""

    lines: list[Line]
    source: str = ""
    # The lines are logical lines (a PDF read with its geometry): no wrapping to undo.
    logical_lines: bool = False
    warnings: list[Issue] = field(default_factory=list)
    doubts: list[Issue] = field(default_factory=list)
    unplaced: list[UnplacedText] = field(default_factory=list)
    activities: list[ParsedActivity] = field(default_factory=list)

    def warn(self, line: int | None, message: Msg) -> None:
        """Something the import says, and imports anyway."""
        self.warnings.append(Issue(self.source, line, None, message))

    def doubt(self, line: int | None, message: Msg) -> None:
        """Something the importer is not sure of: the report is refused."""
        self.doubts.append(Issue(self.source, line, None, message))

    def unplace(self, number: str | None, paras: list[Para], reason: Msg) -> None:
        """Keep text that belongs to no activity, and say so."""
        if not paras:
            return
        text = join_paras(paras)
        self.unplaced.append(UnplacedText(number, text, paras[0].line, reason))
        if number:
            message = msg("report_unplaced", goal=number, reason=reason, excerpt=short(text))
        else:
            message = msg("report_unplaced_no_goal", reason=reason, excerpt=short(text))
        self.warn(paras[0].line, message)
