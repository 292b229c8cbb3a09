"""The committee's decision as a card in two steps, since a card cannot grow inputs as they are
chosen: first the decision, the reasons and (for a return) the activities; then one reason per
returned activity and the new deadline, or the board's meeting and the presenter; then Save.

Activity titles come from the plan: they are shown in TextRuns, and in the choice list as the
choices' plain titles, cut short so that a year of a few hundred activities still fits the card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from microsoft_teams.cards import (
    CardElement,
    Choice,
    ChoiceSetInput,
    DateInput,
    ExecuteAction,
    TextInput,
    TimeInput,
    ToggleInput,
)

from bot.teams import ids
from bot.teams.cards.common import (
    CARD_BUDGET,
    NUMBER_LIMIT,
    Card,
    card_bytes,
    finish,
    format_datetime,
    heading,
    line,
    note,
    run,
    text,
    tr,
    truncate,
)

Activity = tuple[int, str, str]  # (id, goal number, title), as the decision form gives them

# The choice titles are cut to the longest of these that lets every activity fit.
CHOICE_TITLE_LIMITS = (80, 60, 45, 30)
CHOICES_BUDGET = 16 * 1024
RETURNED_TITLE_LIMIT = 150
DEFAULT_DEADLINE_TIME = "16:00"


def _label(goal: str, title: str, limit: int) -> str:
    goal = truncate(goal, NUMBER_LIMIT)
    return f"{goal} {truncate(title, limit)}".strip()


def activity_choices(
    activities: Sequence[Activity], budget: int = CHOICES_BUDGET
) -> tuple[list[Choice], int]:
    """The choices of the activities list, titles as long as the budget allows; and how many
    did not fit even at the shortest (0 for any plan of a normal size)."""
    choices: list[Choice] = []
    for limit in CHOICE_TITLE_LIMITS:
        choices = [
            Choice(title=_label(goal, title, limit), value=str(activity_id))
            for activity_id, goal, title in activities
        ]
        if sum(card_bytes(c) + 1 for c in choices) <= budget:
            return choices, 0
    kept: list[Choice] = []
    used = 0
    for choice in choices:
        used += card_bytes(choice) + 1
        if used > budget:
            break
        kept.append(choice)
    return kept, len(choices) - len(kept)


def _kind_label(kind: str, language: str) -> str:
    return tr(language, f"teams_decision_kind_{kind}")


def _top(
    period: str, version: int, language: str, result: tuple[str, bool] | None
) -> list[CardElement]:
    body: list[CardElement] = [
        heading(tr(language, "teams_decision_header", period=period)),
        text(tr(language, "teams_decision_intro", version=version), subtle=True),
    ]
    if result is not None:
        body.append(note(result[0], good=result[1]))
    return body


def _reasons_input(reasons: str, language: str) -> list[CardElement]:
    return [
        TextInput(
            id=ids.DECISION_REASONS_INPUT,
            label=tr(language, "teams_decision_reasons_label"),
            is_multiline=True,
            max_length=ids.MAX_REASON,
            value=reasons or None,
        ),
        text(tr(language, "teams_decision_reasons_hint"), subtle=True),
    ]


def build_decision_choice_card(
    *,
    language: str,
    period: str,
    version: int,
    activities: Sequence[Activity],
    kind: str = "",
    reasons: str = "",
    chosen: Sequence[int] = (),
    result: tuple[str, bool] | None = None,
) -> Card:
    """The first step: the decision, the reasons for the whole report, the returned activities
    (a multi-select; the limit of 20 is checked on Next)."""
    body = _top(period, version, language, result)
    body.append(
        ChoiceSetInput(
            id=ids.DECISION_KIND_INPUT,
            label=tr(language, "teams_decision_kind_label"),
            style="expanded",
            value=kind if kind in ids.DECISION_KINDS else None,
            choices=[Choice(title=_kind_label(k, language), value=k) for k in ids.DECISION_KINDS],
        )
    )
    body += _reasons_input(reasons, language)
    next_action = ExecuteAction(
        title=tr(language, "teams_decision_next"),
        verb=ids.DECISION_NEXT,
        style="positive",
        associated_inputs="auto",
        data=ids.decision_data(ids.DECISION_NEXT, period=period, version=version),
    )
    hint = text(tr(language, "teams_decision_activities_hint", max=ids.MAX_RETURNED), subtle=True)
    # Whatever the rest weighs (reasons of 3000 characters included), the list gets the rest.
    rest = card_bytes(finish([*body, hint], [next_action])) + 600
    choices, left_out = activity_choices(activities, min(CHOICES_BUDGET, CARD_BUDGET - rest))
    offered = {c.value for c in choices}
    value = ",".join(str(a) for a in chosen if str(a) in offered)
    body.append(
        ChoiceSetInput(
            id=ids.DECISION_ACTIVITIES_INPUT,
            label=tr(language, "teams_decision_activities_label"),
            style="compact",
            is_multi_select=True,
            placeholder=tr(language, "teams_decision_activities_placeholder"),
            choices=choices,
            value=value or None,
        )
    )
    body.append(hint)
    if left_out:
        body.append(
            text(tr(language, "teams_decision_activities_more", count=left_out), italic=True)
        )
    return finish(body, [next_action], fallback=tr(language, "teams_decision_text", period=period))


def build_decision_details_card(
    *,
    language: str,
    zone: ZoneInfo,
    period: str,
    version: int,
    activities: Sequence[Activity],
    kind: str,
    reasons: str = "",
    chosen: Sequence[int] = (),
    activity_reasons: Mapping[int, str] | None = None,
    deadline: tuple[str, str] = ("", DEFAULT_DEADLINE_TIME),
    confirmed: bool = False,
    board_meeting: str = "",
    presenter: str = "",
    result: tuple[str, bool] | None = None,
) -> Card:
    """The second step: what the first chose, a reason field per returned activity and the new
    deadline, or the board's meeting and the presenter; Save, and Back to the first step."""
    known = {activity_id: (goal, title) for activity_id, goal, title in activities}
    returned = [a for a in chosen if a in known][: ids.MAX_RETURNED] if kind == "returned" else []
    typed = activity_reasons or {}
    body = _top(period, version, language, result)
    body.append(
        line(
            run(tr(language, "teams_decision_chosen", kind=_kind_label(kind, language)), bold=True),
            separator=True,
        )
    )
    body.append(text(tr(language, f"teams_decision_{kind}_intro")))
    body += _reasons_input(reasons, language)
    if kind == "returned":
        for activity_id in returned:
            goal, title = known[activity_id]
            body.append(
                line(run(_label(goal, title, RETURNED_TITLE_LIMIT), bold=True), separator=True)
            )
            body.append(
                TextInput(
                    id=ids.reason_input_id(activity_id),
                    label=tr(language, "teams_decision_reason_label"),
                    is_multiline=True,
                    max_length=ids.MAX_REASON,
                    value=typed.get(activity_id) or None,
                )
            )
        day, clock = deadline
        body += [
            DateInput(
                id=ids.DECISION_DATE_INPUT,
                label=tr(language, "teams_decision_deadline_date_label"),
                value=day or None,
                separator=True,
            ),
            TimeInput(
                id=ids.DECISION_TIME_INPUT,
                label=tr(language, "teams_deadline_time_label"),
                value=clock or DEFAULT_DEADLINE_TIME,
            ),
            text(tr(language, "teams_deadline_time_hint", zone=zone.key), subtle=True),
            ToggleInput(
                id=ids.DECISION_CONFIRM_INPUT,
                title=tr(language, "teams_deadline_confirm_option"),
                value="true" if confirmed else "false",
                value_on="true",
                value_off="false",
            ),
        ]
    elif kind == "referred":
        body += [
            DateInput(
                id=ids.DECISION_BOARD_INPUT,
                label=tr(language, "teams_decision_board_label"),
                value=board_meeting or None,
                separator=True,
            ),
            TextInput(
                id=ids.DECISION_PRESENTER_INPUT,
                label=tr(language, "teams_decision_presenter_label"),
                placeholder=tr(language, "decision_chair"),
                max_length=ids.MAX_PRESENTER,
                value=presenter or None,
            ),
        ]
    save, back = (
        ExecuteAction(
            title=tr(language, title),
            verb=verb,
            style=style,
            # Back takes the inputs too: the reasons for the whole report go back with it.
            associated_inputs="auto",
            data=ids.decision_data(
                verb, period=period, version=version, kind=kind, activity_ids=returned
            ),
        )
        for title, verb, style in (
            ("teams_decision_save", ids.SAVE_DECISION, "positive"),
            ("teams_decision_back", ids.OPEN_DECISION, None),
        )
    )
    return finish(body, [save, back], fallback=tr(language, "teams_decision_text", period=period))


def build_decision_note_card(
    *,
    language: str,
    period: str,
    message: str,
    good: bool,
    offer_latest: bool = False,
) -> Card:
    """A decision card that holds no form any more: why (a decision exists, the version is no
    longer the latest), and when there is a newer version, a way to its form."""
    body: list[CardElement] = [
        heading(tr(language, "teams_decision_header", period=period)),
        note(message, good=good),
    ]
    card_actions = []
    if offer_latest:
        card_actions.append(
            ExecuteAction(
                title=tr(language, "teams_decision_latest_button"),
                verb=ids.OPEN_DECISION,
                data=ids.decision_data(ids.OPEN_DECISION, period=period),
            )
        )
    return finish(body, card_actions, fallback=tr(language, "teams_decision_text", period=period))


def build_decision_recorded_card(
    *,
    language: str,
    period: str,
    version: int,
    kind: str,
    new_deadline: datetime | None,
    returned: Sequence[str],
    notes: Sequence[str] = (),
) -> Card:
    """What replaces the form once the decision is recorded: the decision, no more actions."""
    body: list[CardElement] = [
        heading(tr(language, "teams_decision_header", period=period)),
        note(
            tr(language, f"teams_decision_recorded_{kind}", period=period, version=version),
            good=True,
        ),
    ]
    if new_deadline is not None:
        when = format_datetime(new_deadline, language)
        body.append(text(tr(language, "teams_decision_new_deadline", deadline=when)))
    body += [text(entry, italic=True) for entry in notes]
    if returned:
        body.append(line(run(tr(language, "teams_decision_returned_list"), bold=True)))
        body += [text(f"• {truncate(title, RETURNED_TITLE_LIMIT)}") for title in returned]
    return finish(body, fallback=tr(language, "teams_decision_text", period=period))
