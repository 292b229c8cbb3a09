"""Prometheus metrics of one process: acks and their latency, reminders, rate limits, the sweep,
the scheduler's role, and the reports still missing per open period.

Adapters and the scheduler record; `/metrics` serves `render()`. Nothing here touches a service
except the collector of missing reports, which asks one at scrape time (cached for a minute).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry()
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

ACK_SECONDS = Histogram(
    "uppsikt_ack_seconds",
    "Time from a request's arrival to its acknowledgement, by platform and kind.",
    ["platform", "kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0),
    registry=REGISTRY,
)
REMINDERS = Counter(
    "uppsikt_reminders_total",
    "Reminder messages, by platform and outcome (sent, failed).",
    ["platform", "outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "uppsikt_rate_limited_total",
    "Answers of 429 (rate limited) from a chat platform.",
    ["platform"],
    registry=REGISTRY,
)
SWEEP_SECONDS = Histogram(
    "uppsikt_sweep_seconds",
    "How long a reminder sweep took.",
    buckets=(0.05, 0.1, 0.5, 1, 5, 15, 60, 300),
    registry=REGISTRY,
)
LEADER = Gauge(
    "uppsikt_scheduler_leader",
    "1 when this process runs the reminder schedule, 0 when it stands by.",
    registry=REGISTRY,
)


class _MissingReports(Collector):
    """Reports still missing per open period, asked for at scrape time and cached a minute."""

    def __init__(self) -> None:
        self.source: Callable[[], dict[str, int]] | None = None
        self._cache: tuple[float, dict[str, int]] = (0.0, {})
        self._lock = threading.Lock()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "uppsikt_reports_missing",
            "Activities without a status in each open period.",
            labels=["period"],
        )
        for period, missing in sorted(self._values().items()):
            family.add_metric([period], missing)
        yield family

    def _values(self) -> dict[str, int]:
        with self._lock:
            stamp, values = self._cache
            if self.source is not None and time.monotonic() - stamp > 60:
                try:
                    values = self.source()
                except Exception:  # a scrape must answer even when the database does not
                    values = {}
                self._cache = (time.monotonic(), values)
            return values


MISSING = _MissingReports()
REGISTRY.register(MISSING)


def render() -> bytes:
    """The text exposition of every metric."""
    return generate_latest(REGISTRY)
