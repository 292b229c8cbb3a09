"""`uppsikt decision PERIOD approve|return|refer ...`, `uppsikt audit PERIOD` and
`uppsikt substitute add|list|end`."""

from __future__ import annotations

import argparse
from datetime import date

from bot.cli.context import CommandContext, UsageError
from bot.importers.matching import match_key
from bot.services import substitutes
from bot.services.audit import audit_trail
from bot.services.decisions import (
    DecisionInput,
    decision_form_for_operator,
    follow_up_decision,
    record_decision,
)

KINDS = {"approve": "approved", "return": "returned", "refer": "referred"}


def _activity_ids(context: CommandContext, args: argparse.Namespace) -> tuple[tuple[int, str], ...]:
    """Returned activities named by title (or id), paired with their reasons in order."""
    named = args.activity or []
    reasons = args.activity_reason or []
    if len(named) != len(reasons):
        raise UsageError(context.tr("cli_decision_pairs"))
    form = decision_form_for_operator(context.core(), period=args.period)
    by_key: dict[str, list[int]] = {}
    for activity_id, _goal, title in form.activities:
        by_key.setdefault(match_key(title), []).append(activity_id)
    result = []
    for name, reason in zip(named, reasons, strict=True):
        if name.isdigit() and any(a == int(name) for a, _g, _t in form.activities):
            result.append((int(name), reason))
            continue
        found = by_key.get(match_key(name), [])
        if len(found) != 1:
            key = "cli_decision_no_activity" if not found else "cli_decision_ambiguous"
            raise UsageError(context.tr(key, name=name))
        result.append((found[0], reason))
    return tuple(result)


def decide(context: CommandContext, args: argparse.Namespace) -> None:
    kind = KINDS[args.kind]
    board = None
    if args.board_meeting:
        try:
            board = date.fromisoformat(args.board_meeting)
        except ValueError:
            raise UsageError(context.tr("cli_date_format", text=args.board_meeting)) from None
    decision = DecisionInput(
        kind=kind,
        reasons=args.reason or "",
        returned=_activity_ids(context, args) if kind == "returned" else (),
        deadline_text=args.deadline,
        board_meeting=board,
        presenter=args.presenter or "",
        version=args.version,
        confirmed=args.force,
    )
    core = context.core()
    recorded = record_decision(core, who=None, period=args.period, decision=decision)
    for key, params in recorded.notes:
        context.warn(context.tr("cli_warning", text=context.tr(key, **params)))
    followed = follow_up_decision(core, period=args.period)
    context.say(
        context.tr(
            f"cli_decision_{kind}",
            period=recorded.period,
            version=recorded.version,
            activities=len(recorded.returned),
        )
    )
    if followed.pending:
        context.say(context.tr(f"cli_decision_follow_up_{kind}"))


def audit(context: CommandContext, args: argparse.Namespace) -> None:
    zone = context.settings.timezone
    lines = audit_trail(context.core(), period=args.period)
    if not lines and args.period is None:
        context.say(context.tr("cli_audit_none_general"))
    elif not lines:
        context.say(context.tr("cli_audit_none", period=args.period))
    for line in lines:
        details = ", ".join(
            f"{k}={v}" for k, v in sorted(line.details.items()) if v not in (None, "", [])
        )
        context.say(
            f"{line.at.astimezone(zone):%Y-%m-%d %H:%M:%S}  {line.surface:6}  {line.actor:24.24}  "
            f"{line.action:20}  {line.subject}" + (f"  ({details})" if details else "")
        )


def substitute_add(context: CommandContext, args: argparse.Namespace) -> None:
    try:
        starts, ends = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError:
        raise UsageError(context.tr("cli_date_format", text=f"{args.start} {args.end}")) from None
    info = substitutes.set_substitute(
        context.core(), who=None, person=args.person, substitute=args.by, starts_on=starts,
        ends_on=ends,
    )  # fmt: skip
    context.say(
        context.tr(
            "cli_substitute_added", id=info.id, person=info.person, substitute=info.substitute,
            starts=f"{info.starts_on}", ends=f"{info.ends_on}",
        )
    )  # fmt: skip


def substitute_list(context: CommandContext, _args: argparse.Namespace) -> None:
    rows = substitutes.list_substitutes(context.core())
    if not rows:
        context.say(context.tr("cli_substitutes_none"))
    for row in rows:
        context.say(f"{row.id:4}  {row.starts_on} – {row.ends_on}  {row.substitute} → {row.person}")


def substitute_end(context: CommandContext, args: argparse.Namespace) -> None:
    substitutes.revoke_substitute(context.core(), who=None, substitute_id=args.id)
    context.say(context.tr("cli_substitute_ended", id=args.id))
