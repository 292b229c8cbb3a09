"""The command line speaks one language at a time: Swedish by default, English when asked,
help texts and argparse's own words included, never the two mixed."""

from __future__ import annotations

import subprocess

import pytest

from bot.cli import main
from bot.i18n import CATALOGUE
from tests.scenario.support import base_env, uppsikt_command

COMMANDS = [
    [],
    ["db"],
    ["db", "upgrade"],
    ["import"],
    ["import", "plan"],
    ["import", "template"],
    ["import", "report"],
    ["export"],
    ["report"],
    ["run"],
    ["period"],
    ["period", "open"],
    ["period", "deadline"],
    ["period", "close"],
    ["period", "list"],
    ["demo"],
]
ENGLISH_ARGPARSE = ("usage:", "positional arguments", "options:", "show this help", "show program")


def _help(args: list[str], language: str, monkeypatch: pytest.MonkeyPatch, capsys) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("UPPSIKT_LANGUAGE", language)
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _cli_texts(language: str) -> list[str]:
    return [text for key, text in CATALOGUE[language].items() if key.startswith("cli_help_")]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "uppsikt")
def test_help_is_swedish_by_default_and_english_on_request(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    swedish = _help(args, "sv", monkeypatch, capsys)
    assert swedish.startswith("användning:")
    assert not any(word in swedish for word in ENGLISH_ARGPARSE)
    for english in _cli_texts("en"):
        assert english not in " ".join(swedish.split()) or english in _cli_texts("sv")
    english_help = _help(args, "en", monkeypatch, capsys)
    assert english_help.startswith("usage:")
    for text in _cli_texts("sv"):
        assert text not in " ".join(english_help.split()) or text in _cli_texts("en")


def test_argparse_errors_and_settings_errors_are_swedish_and_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = base_env(f"sqlite:///{tmp_path / 'x.db'}")
    usage = subprocess.run(
        [*uppsikt_command(), "period", "open"], env=env, cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert usage.returncode == 2
    assert "följande argument krävs: PERIOD" in usage.stderr and "required" not in usage.stderr
    unknown = subprocess.run(
        [*uppsikt_command(), "perioder"], env=env, cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert unknown.returncode == 2 and "ogiltigt val" in unknown.stderr
    bad = dict(env, UPPSIKT_PORT="abc", UPPSIKT_TIMEZONE="Mars/Olympus", DATABASE_URL="mysql://x")
    settings = subprocess.run(
        [*uppsikt_command(), "period", "list"], env=bad, cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert settings.returncode == 2
    lines = settings.stderr.splitlines()
    assert lines[0] == "Ogiltiga inställningar:"
    assert {line.split(":")[0].strip(" -") for line in lines[1:]} == {
        "UPPSIKT_PORT", "UPPSIKT_TIMEZONE", "DATABASE_URL"
    }  # fmt: skip
    english = subprocess.run(
        [*uppsikt_command(), "period", "list"], env=dict(bad, UPPSIKT_LANGUAGE="en"),
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert english.returncode == 2 and english.stderr.startswith("Invalid settings:")


def test_period_commands_say_what_is_true(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("UPPSIKT_LANGUAGE", "sv")
    monkeypatch.chdir(tmp_path)
    assert main(["period", "open", "2024-T2", "--deadline", "2024-09-10 16:00"]) == 1
    refused = capsys.readouterr().err
    assert "redan passerats" in refused and "--force" in refused
    assert main(["period", "open", "2024-T2", "--deadline", "2024-09-10 16:00", "--force"]) == 0
    assert main(["period", "deadline", "2024-T2", "2025-03-30 02:30", "--force"]) == 1
    assert "finns inte" in capsys.readouterr().err  # the hour skipped in spring
    assert main(["period", "close", "2024-T2"]) == 0
    assert "är stängd" in capsys.readouterr().out
    assert main(["period", "close", "2024-T2"]) == 0
    assert "var redan stängd" in capsys.readouterr().err
    assert main(["period", "close", "2031-T1"]) == 1
    assert "Perioden 2031-T1 finns inte." in capsys.readouterr().err
