"""Periods, tertials and the status vocabulary."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.periods import PeriodKey, default_deadline, parse_period
from bot.domain.status import Status, parse_status, status_label


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2024-T1", PeriodKey(2024, 1)),
        ("2024t3", PeriodKey(2024, 3)),
        (" 2025-T2 ", PeriodKey(2025, 2)),
    ],
)
def test_parse_period(text: str, key: PeriodKey) -> None:
    assert parse_period(text) == key
    assert str(key) == f"{key.year}-T{key.tertial}"


@pytest.mark.parametrize("text", ["2024-T4", "2024-1", "T1", "", "1999-T1", "2024-T0"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_tertial_bounds_and_previous() -> None:
    assert PeriodKey(2024, 1).first_day == date(2024, 1, 1)
    assert PeriodKey(2024, 1).last_day == date(2024, 4, 30)
    assert PeriodKey(2024, 2).first_day == date(2024, 5, 1)
    assert PeriodKey(2024, 2).last_day == date(2024, 8, 31)
    assert PeriodKey(2024, 3).last_day == date(2024, 12, 31)
    assert PeriodKey(2024, 1).previous == PeriodKey(2023, 3)
    assert PeriodKey(2024, 3).previous == PeriodKey(2024, 2)


def test_default_deadline_is_local_afternoon_of_last_day() -> None:
    deadline = default_deadline(PeriodKey(2024, 1), ZoneInfo("Europe/Stockholm"))
    assert deadline.isoformat() == "2024-04-30T16:00:00+02:00"


def test_status_labels_and_parsing_both_languages() -> None:
    assert [status_label(s) for s in Status] == [
        "Ej påbörjad",
        "Pågående enligt plan",
        "Pågående med avvikelse",
        "Avslutad enligt plan",
        "Avslutad med avvikelse",
        "Vänteläge",
    ]
    assert status_label(Status.ON_HOLD, "en") == "On hold"
    for status in Status:
        assert parse_status(status.value) is status
        assert parse_status(status_label(status, "sv").upper()) is status
        assert parse_status(" " + status_label(status, "en") + " ") is status
    with pytest.raises(ValueError, match="unknown status 'Klar'"):
        parse_status("Klar")


def test_settings_defaults_and_validation(tmp_path) -> None:
    settings = load_settings(env={}, dotenv_path=tmp_path / "none")
    assert settings.database_url == "sqlite:///uppsikt.db"
    assert settings.timezone.key == "Europe/Stockholm"
    assert settings.language == "sv"
    pg = load_settings(
        env={"DATABASE_URL": "postgresql://u:secret@h/db"}, dotenv_path=tmp_path / "x"
    )
    assert pg.database_url == "postgresql+psycopg://u:secret@h/db"
    with pytest.raises(ConfigError) as error:
        load_settings(
            env={
                "DATABASE_URL": "mysql://u:secret@h/db",
                "UPPSIKT_TIMEZONE": "Mars/Olympus",
                "UPPSIKT_LANGUAGE": "fi",
                "UPPSIKT_TEMPLATE_DIR": str(tmp_path / "missing"),
            },
            dotenv_path=tmp_path / "none",
        )
    message = str(error.value)
    for name in ("DATABASE_URL", "UPPSIKT_TIMEZONE", "UPPSIKT_LANGUAGE", "UPPSIKT_TEMPLATE_DIR"):
        assert name in message
    assert "secret" not in message


def test_dotenv_is_read_and_environment_wins(tmp_path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("UPPSIKT_LANGUAGE=en\nUPPSIKT_COMMITTEE=Utskottet\n", encoding="utf-8")
    assert load_settings(env={}, dotenv_path=dotenv).language == "en"
    settings = load_settings(env={"UPPSIKT_LANGUAGE": "sv"}, dotenv_path=dotenv)
    assert settings.language == "sv"
    assert settings.committee == "Utskottet"
