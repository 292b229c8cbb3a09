"""The benchmark's floor: a bare Bolt app that acks every modal submission at once, on the same
HTTP server Uppsikt uses (or the old one), in a process of its own.

    python bench/bare_bolt.py waitress|wsgiref SIGNING_SECRET SLACK_API_URL
    (prints the URL, serves until SIGTERM)
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.web.server import Server, ServerLimits  # noqa: E402


def main() -> None:
    backend, secret, api_url = sys.argv[1], sys.argv[2], sys.argv[3]
    # As in the bot: waitress's warning per queued request is not written.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app = App(
        client=WebClient(token="xoxb-test", base_url=api_url),
        signing_secret=secret,
        token_verification_enabled=False,
        process_before_response=True,
    )

    @app.view("uppsikt_status_modal")
    def submission(ack) -> None:  # type: ignore[no-untyped-def]
        ack()

    server = Server(
        "127.0.0.1", 0, SlackRequestHandler(app), limits=ServerLimits(), backend=backend
    )
    server.start()
    host, port = server.address
    print(f"http://{host}:{port}/slack/events", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    server.stop()


if __name__ == "__main__":
    main()
