"""Problems found in an imported file, kept as message keys and formatted per language.

An issue says where it is (file, row or line, column) and what is wrong (a key of the
importers' catalogue, bot/i18n/importers.py, and its parameters), so the same problem reads in
Swedish or English and tests can assert on where it is without parsing text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union

from bot import i18n
from bot.planfile.format import Localised

MAX_REPORTED_ISSUES = 50

# A parameter is plain data, a nested message, or a function of the language (a list of the
# allowed status labels, say): everything a message shows is chosen when it is formatted.
Param = Union[str, int, float, None, "Msg", Callable[[str], str], object]


@dataclass(frozen=True)
class Msg:
    """A message key of the catalogue and its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def format(self, language: str | None) -> str:
        """The message in this language."""
        return i18n.t(
            language, self.key, **{k: _value(v, language) for k, v in self.params.items()}
        )


def msg(key: str, **params: object) -> Msg:
    """A message key with its parameters."""
    return Msg(key, params)


def _value(value: object, language: str | None) -> object:
    if isinstance(value, Msg):
        return value.format(language)
    if isinstance(value, Localised):
        return value.header(language)
    if callable(value):
        return value(i18n.language_or_default(language))
    return value


@dataclass(frozen=True)
class Issue:
    """A problem in a file: `file:row: column 'X': message` (row counts lines or records)."""

    file: str
    row: int | None
    column: str | Localised | None
    message: Msg

    @property
    def key(self) -> str:
        """The message key, for code that reacts to one kind of problem."""
        return self.message.key

    def column_name(self, language: str | None = "sv") -> str | None:
        """The column's header: as the file spells it, or in the language when it is missing."""
        if isinstance(self.column, Localised):
            return self.column.header(language)
        return self.column

    def text(self, language: str | None = "sv") -> str:
        """Only the message, without where it is."""
        return self.message.format(language)

    def format(self, language: str | None = "sv") -> str:
        """`file:row: column 'X': message`, with the word for column in the language."""
        if self.file:
            where = self.file if self.row is None else f"{self.file}:{self.row}"
        else:
            where = i18n.t(language, "imp_line", line=self.row) if self.row is not None else ""
        text = self.text(language)
        column = self.column_name(language)
        if column is not None:
            text = f"{i18n.t(language, 'imp_column', column=column)}: {text}"
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.format()


def render_issues(
    header: Msg, issues: Iterable[Issue], language: str | None, limit: int = MAX_REPORTED_ISSUES
) -> str:
    """A header line, then one issue a line (the first `limit`), then how many more."""
    issues = list(issues)
    lines = [header.format(language)]
    lines += [f"  {issue.format(language)}" for issue in issues[:limit]]
    if len(issues) > limit:
        lines.append("  " + i18n.t(language, "imp_more", count=len(issues) - limit))
    return "\n".join(lines)


class ImportRefused(ValueError):
    """A file was refused and nothing was written; `issues` says why, every problem at once."""

    header_key = "imp_refused"

    def __init__(
        self, issues: Iterable[Issue], *, language: str | None = "sv", **header: object
    ) -> None:
        self.errors = list(issues)
        self.language = i18n.language_or_default(language)
        plural = "_one" if len(self.errors) == 1 else "_other"
        self.header = Msg(self.header_key + plural, {"count": len(self.errors), **header})
        super().__init__(self.render())

    @property
    def issues(self) -> list[Issue]:
        """Every problem found."""
        return self.errors

    def render(self, language: str | None = None, limit: int = MAX_REPORTED_ISSUES) -> str:
        """All problems as text, one a line, in the language (the refusal's by default)."""
        return render_issues(self.header, self.errors, language or self.language, limit)


class PlanFileError(ImportRefused):
    """The plan file has errors; nothing may be written. `errors` holds every one of them."""

    header_key = "plan_refused"


class ReportFileError(ImportRefused):
    """The report cannot be imported as it is; nothing was written."""

    header_key = "report_refused"


def localised_choices(choices: Mapping[str, Iterable[str]]) -> Callable[[str], str]:
    """A parameter listing choices in the message's language (`{"sv": [...], "en": [...]}`)."""

    def render(language: str) -> str:
        return ", ".join(choices.get(language, choices["sv"]))

    return render


class ImportOptionsError(ValueError):
    """The command's options contradict each other (a usage error); nothing was read."""

    def __init__(self, message: Msg, *, language: str | None = "sv") -> None:
        self.message = message
        self.language = i18n.language_or_default(language)
        super().__init__(message.format(self.language))
