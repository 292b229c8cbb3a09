"""Helpers for scenario tests: signed Slack requests and payloads, a bot process, setup data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "bot" / "data" / "seed_2024_T1.txt"
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test"
COMMITTEE_CHANNEL = "C0COMMITTEE"

# People of the scenario: (name, e-mail, Slack id, unit path or "", role)
SAMHALLSBYGGNAD = "Kommunstyrelsens förvaltning > Samhällsbyggnad"
PEOPLE = [
    ("Anna Andersson", "anna@ange.se", "U0ANNA", SAMHALLSBYGGNAD, "rapportör"),
    ("Bengt Berg", "bengt@ange.se", "U0BENGT", "Kommunstyrelsens förvaltning > Stab", "rapportör"),
    ("Sara Sekreterare", "sara@ange.se", "U0SARA", "", "sekreterare"),
    ("Adam Admin", "adam@ange.se", "U0ADAM", "", "admin"),
    ("Ove Okänd", "ove@ange.se", None, SAMHALLSBYGGNAD, "rapportör"),
]


def uppsikt_command() -> list[str]:
    script = Path(sys.executable).parent / "uppsikt"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("UPPSIKT_", "SLACK_", "DATABASE_URL"))
    }
    env.update({"DATABASE_URL": database_url, "UPPSIKT_LANGUAGE": "sv"})
    env.update(extra)
    return env


def run_cli(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*uppsikt_command(), *args],
        cwd=cwd,
        env=base_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"uppsikt {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result


def prepare_database(database_url: str, workdir: Path) -> None:
    """What an admin does first: import last tertial's report, the people, open 2024-T2."""
    run_cli(database_url, workdir, "import", "report", str(SEED), "--period", "2024-T1")
    empty = workdir / "activities.csv"
    empty.write_text(
        "Mål nr,Mål,Målområde,Aktivitet,Syfte,Startdatum,Slutdatum,Ansvariga enheter\n", "utf-8"
    )
    people = workdir / "people.csv"
    lines = ["Namn,E-post,Enhet,Roll"] + [f"{n},{e},{u},{r}" for n, e, _s, u, r in PEOPLE]
    people.write_text("\n".join(lines) + "\n", "utf-8")
    run_cli(
        database_url,
        workdir,
        "import",
        "plan",
        str(empty),
        "--people",
        str(people),
        "--year",
        "2024",
    )
    # 2024 is in the past: the deadline needs --force, as it would for an admin today.
    run_cli(
        database_url,
        workdir,
        "period",
        "open",
        "2024-T2",
        "--deadline",
        "2024-09-10 16:00",
        "--force",
    )


def directory_users() -> dict[str, dict[str, Any]]:
    """The emulator's users.lookupByEmail directory (Ove has no Slack account)."""
    return {
        email: {"id": slack_id, "name": name, "real_name": name, "profile": {"email": email}}
        for name, email, slack_id, _u, _r in PEOPLE
        if slack_id
    }


@dataclass
class SlackRequests:
    """Builds and sends signed Slack requests to the bot's endpoint."""

    url: str
    response_url: str
    secret: str = SIGNING_SECRET
    sent: list[int] = field(default_factory=list)

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret or self.secret).generate_signature(
            timestamp=ts, body=body
        )
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read(), time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read(), time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError) as error:
            # The server answered and closed before reading everything we sent (413).
            reason = getattr(error, "reason", error)
            if isinstance(reason, (BrokenPipeError, ConnectionResetError)):
                return 0, b"", time.perf_counter() - started
            raise

    def command(self, user_id: str, text: str, **kwargs: Any) -> tuple[int, bytes, float]:
        form = {
            "token": "legacy",
            "team_id": "T0UPPSIKT",
            "channel_id": f"D{user_id}",
            "user_id": user_id,
            "command": "/uppsikt",
            "text": text,
            "response_url": self.response_url,
            "trigger_id": f"trig-{time.monotonic_ns()}",
        }
        return self.post(
            urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded", **kwargs
        )

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> tuple[int, bytes, float]:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def event(
        self, event: dict[str, Any], event_id: str, **kwargs: Any
    ) -> tuple[int, bytes, float]:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T0UPPSIKT",
                "api_app_id": "A0UPPSIKT",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        ).encode()
        return self.post(body, "application/json", **kwargs)


def block_action(
    user_id: str,
    action: dict[str, Any],
    *,
    response_url: str,
    channel: str | None = None,
    message_ts: str | None = None,
    message_blocks: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0UPPSIKT"},
        "user": {"id": user_id},
        "api_app_id": "A0UPPSIKT",
        "trigger_id": f"trig-{time.monotonic_ns()}",
        "response_url": response_url,
        "actions": [action],
    }
    if channel and message_ts:
        payload["container"] = {"type": "message", "channel_id": channel, "message_ts": message_ts}
        payload["channel"] = {"id": channel}
        payload["message"] = {"ts": message_ts, "blocks": message_blocks or []}
    else:
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
    return payload


def view_submission(user_id: str, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A view_submission for a modal the bot opened, with the given state values."""
    submitted = dict(view)
    submitted["id"] = "V0MODAL"
    submitted["state"] = {"values": values}
    return {
        "type": "view_submission",
        "team": {"id": "T0UPPSIKT"},
        "user": {"id": user_id},
        "api_app_id": "A0UPPSIKT",
        "view": submitted,
    }


class BotProcess:
    """`uppsikt run` in HTTP mode as a real process."""

    def __init__(
        self,
        database_url: str,
        workdir: Path,
        api_base_url: str,
        *,
        prefix: list[str] | None = None,
        log_name: str = "bot.log",
        **extra_env: str,
    ) -> None:
        self.log_path = workdir / log_name
        env = base_env(
            database_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=api_base_url,
            UPPSIKT_HOST="127.0.0.1",
            UPPSIKT_PORT="0",
            UPPSIKT_COMMITTEE_CHANNEL=COMMITTEE_CHANNEL,
            UPPSIKT_ADMINS="adam@ange.se",
            UPPSIKT_SECRETARIES="U0SARA",
            UPPSIKT_SCHEDULER="off",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra_env)
        self.log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [*(prefix or []), *uppsikt_command(), "run"],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.process.stdout is not None
        self.startup: list[str] = []
        line = ""
        while "http://" not in line:
            line = self.process.stdout.readline()
            self.startup.append(line)
            if not line or len(self.startup) > 10:
                self.stop()
                raise AssertionError(
                    f"bot did not start: {self.startup!r}\n{self.log_path.read_text()}"
                )
        self.base = line.split("http://", 1)[1].split("/", 1)[0]
        self.url = f"http://{self.base}/slack/events"
        self.health_url = f"http://{self.base}/healthz"

    def logs(self) -> str:
        self.log.flush()
        return self.log_path.read_text("utf-8")

    def kill(self) -> None:
        """Die at once, as in a crash: no shutdown handlers run."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


FAKETIME_SITE = Path(__file__).resolve().parent / "faketime_site"


def _libfaketime() -> str | None:
    for candidate in (
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
    ):
        if Path(candidate).exists():
            return candidate
    return None


def faketime_available() -> bool:
    return _libfaketime() is not None


def faketime_env(instant_utc: str, speed: int = 60) -> tuple[list[str], dict[str, str]]:
    """Environment to run a process with its clock at `instant_utc`, sped up.

    libfaketime is preloaded directly rather than through the `faketime` wrapper, which forks:
    signals sent to the wrapper would not reach the bot, and a stopped test would leave it
    running.
    """
    library = _libfaketime()
    if library is None:
        raise RuntimeError("libfaketime is not installed (Debian package faketime)")
    pythonpath = os.pathsep.join([str(FAKETIME_SITE), str(ROOT)])
    return [], {
        "LD_PRELOAD": library,
        "FAKETIME": f"@{instant_utc} x{speed}",
        "FAKETIME_NO_CACHE": "1",
        "PYTHONPATH": pythonpath,
        "TZ": "UTC",
    }
