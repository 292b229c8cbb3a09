"""The admin card: what Slack's admin App Home shows (periods with progress, the reminder
schedule, every unit's progress) with the same actions, as forms folded into the card."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from microsoft_teams.cards import (
    CardElement,
    Choice,
    ChoiceSetInput,
    DateInput,
    ExecuteAction,
    ShowCardAction,
    TextInput,
    TimeInput,
    ToggleInput,
)

from bot.domain.periods import PeriodKey, parse_period
from bot.domain.reminder_policy import ReminderSchedule
from bot.domain.reporting import AdminPeriodRow, PeriodInfo, UnitProgress
from bot.teams import ids
from bot.teams.cards.common import (
    Card,
    actions,
    finish,
    format_datetime,
    heading,
    line,
    note,
    run,
    sub_card,
    text,
    tr,
)
from bot.teams.cards.overview import all_units_blocks

ADMIN_PERIODS_SHOWN = 10
DEFAULT_DEADLINE_TIME = "16:00"


def days_list(days: Sequence[int], language: str) -> str:
    """`28, 14, 7, 2 och 0`."""
    words = [str(day) for day in days]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {tr(language, 'teams_and')} {words[-1]}"


def _state_label(state: str, language: str) -> str:
    known = state if state in ("open", "closed", "returned") else "closed"
    return tr(language, f"teams_state_{known}")


def _period_fields(
    period: PeriodKey | None, *, day: str, clock: str, state: str, language: str, zone: ZoneInfo
) -> list[CardElement]:
    fields: list[CardElement] = []
    if period is None:
        fields.append(
            TextInput(
                id=ids.NEW_PERIOD_INPUT,
                label=tr(language, "teams_period_key_label"),
                placeholder="2024-T3",
                max_length=10,
            )
        )
        fields.append(text(tr(language, "teams_period_key_hint"), subtle=True))
    fields += [
        DateInput(
            id=ids.period_input_id("date", period),
            label=tr(language, "teams_deadline_date_label"),
            value=day or None,
        ),
        TimeInput(
            id=ids.period_input_id("time", period),
            label=tr(language, "teams_deadline_time_label"),
            value=clock,
        ),
        text(tr(language, "teams_deadline_time_hint", zone=zone.key), subtle=True),
        ChoiceSetInput(
            id=ids.period_input_id("state", period),
            label=tr(language, "teams_period_state_label"),
            style="compact",
            value=state,
            choices=[
                Choice(title=tr(language, "teams_period_option_open"), value="open"),
                Choice(title=tr(language, "teams_period_option_closed"), value="closed"),
            ],
        ),
        ToggleInput(
            id=ids.period_input_id("confirm", period),
            title=tr(language, "teams_deadline_confirm_option"),
            value="false",
            value_on="true",
            value_off="false",
        ),
    ]
    return fields


def _period_row(row: AdminPeriodRow, language: str, zone: ZoneInfo) -> list[CardElement]:
    period = parse_period(row.key)
    local = row.deadline.astimezone(zone)
    summary = tr(
        language,
        "teams_admin_period",
        period=row.key,
        state=_state_label(row.state, language),
        deadline=format_datetime(local, language),
        progress=tr(language, "teams_progress_reported", reported=row.reported, total=row.total),
    )
    form = sub_card(
        _period_fields(
            period,
            day=local.date().isoformat(),
            clock=f"{local:%H:%M}",
            state=row.state if row.state in ("open", "closed") else "open",
            language=language,
            zone=zone,
        ),
        [
            ExecuteAction(
                title=tr(language, "teams_save"),
                verb=ids.EDIT_PERIOD,
                style="positive",
                data=ids.action_data(ids.EDIT_PERIOD, p=row.key),
            )
        ],
    )
    sign = "🟢" if row.is_open else "🔒"
    return [
        line(run(f"{sign} {summary}"), separator=True),
        actions(ShowCardAction(title=tr(language, "teams_button_change"), card=form)),
    ]


def build_admin_card(
    *,
    language: str,
    zone: ZoneInfo,
    admin_periods: Sequence[AdminPeriodRow],
    schedule: ReminderSchedule | None,
    period: PeriodInfo | None,
    all_units: Sequence[UnitProgress] | None,
    result: tuple[str, bool] | None = None,
) -> Card:
    """The `admin` answer. `result` is a (message, saved) note from the last action."""
    body: list[CardElement] = [heading(tr(language, "teams_admin_header"))]
    if result is not None:
        body.append(note(result[0], good=result[1]))
    newest = sorted(admin_periods, key=lambda row: row.key, reverse=True)[:ADMIN_PERIODS_SHOWN]
    for row in newest:
        body += _period_row(row, language, zone)
    if not newest:
        body.append(text(tr(language, "teams_admin_no_periods"), italic=True))
    elif len(admin_periods) > len(newest):
        body.append(text(tr(language, "teams_admin_more_periods", shown=len(newest)), italic=True))
    new_form = sub_card(
        _period_fields(
            None, day="", clock=DEFAULT_DEADLINE_TIME, state="open", language=language, zone=zone
        ),
        [
            ExecuteAction(
                title=tr(language, "teams_save"),
                verb=ids.NEW_PERIOD,
                style="positive",
                data=ids.action_data(ids.NEW_PERIOD),
            )
        ],
    )
    body.append(
        actions(ShowCardAction(title=tr(language, "teams_button_new_period"), card=new_form))
    )
    if schedule is not None:
        days = ",".join(str(day) for day in schedule.days_before)
        body.append(
            line(
                run(
                    tr(
                        language,
                        "teams_schedule",
                        days=days_list(schedule.days_before, language),
                        time=f"{schedule.at:%H:%M}",
                    )
                ),
                separator=True,
            )
        )
        schedule_form = sub_card(
            [
                text(tr(language, "teams_schedule_intro"), subtle=True),
                TextInput(
                    id=ids.SCHEDULE_DAYS_INPUT,
                    label=tr(language, "teams_schedule_days_label"),
                    value=days,
                    max_length=ids.MAX_DAYS_TEXT,
                ),
                text(tr(language, "teams_schedule_days_hint"), subtle=True),
                TimeInput(
                    id=ids.SCHEDULE_TIME_INPUT,
                    label=tr(language, "teams_schedule_time_label"),
                    value=f"{schedule.at:%H:%M}",
                ),
                text(tr(language, "teams_schedule_time_hint", zone=zone.key), subtle=True),
            ],
            [
                ExecuteAction(
                    title=tr(language, "teams_save"),
                    verb=ids.EDIT_SCHEDULE,
                    style="positive",
                    data=ids.action_data(ids.EDIT_SCHEDULE),
                )
            ],
        )
        body.append(
            actions(
                ShowCardAction(title=tr(language, "teams_button_edit_schedule"), card=schedule_form)
            )
        )
    if all_units is not None:
        body += all_units_blocks(all_units, period, language)
    refresh = ExecuteAction(
        title=tr(language, "teams_button_refresh"),
        verb=ids.REFRESH_ADMIN,
        data=ids.action_data(ids.REFRESH_ADMIN),
    )
    return finish(body, [refresh], fallback=tr(language, "teams_admin_header"))
