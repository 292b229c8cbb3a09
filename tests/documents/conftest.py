"""Fixtures for the committee documents: the bundled seed through the import service, rendered
once per test session as PDF and as Word, and the small hand-made period of support.py.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.domain.report import ReportView
from bot.reporting.pdf import render_pdf
from bot.reporting.word import render_docx
from bot.services.report_import import import_report
from bot.services.reporting import load_report_view
from storage.db import ensure_schema, make_engine, session_scope
from tests.documents.support import (
    COMMITTEE,
    MUNICIPALITY,
    NOW,
    SEED,
    add_t2_reports,
    small_view,
)


@pytest.fixture(scope="session")
def seed_view(tmp_path_factory: pytest.TempPathFactory) -> ReportView:
    """The seed report (Ånge kommun 2024 T1) imported into SQLite and compiled."""
    directory = tmp_path_factory.mktemp("seed")
    settings = Settings(database_url=f"sqlite:///{directory / 'seed.db'}")
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    period = parse_period("2024-T1")
    import_report(engine, path=SEED, period=period, settings=settings)
    with session_scope(engine) as session:
        view = load_report_view(session, period=period, language="sv", timezone_now=NOW)
    engine.dispose()
    return view


@pytest.fixture(scope="session")
def t2_view(tmp_path_factory: pytest.TempPathFactory) -> ReportView:
    """A realistic T2: the seed imported as 2024-T1, then 52 of its 79 activities reported."""
    directory = tmp_path_factory.mktemp("t2")
    settings = Settings(database_url=f"sqlite:///{directory / 't2.db'}")
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    import_report(engine, path=SEED, period=parse_period("2024-T1"), settings=settings)
    add_t2_reports(settings.database_url)
    with session_scope(engine) as session:
        view = load_report_view(
            session, period=parse_period("2024-T2"), language="sv", timezone_now=NOW
        )
    engine.dispose()
    return view


@pytest.fixture(scope="session")
def t2_pdf(t2_view: ReportView) -> bytes:
    """The realistic T2's PDF, rendered once."""
    return render_pdf(t2_view, committee=COMMITTEE, municipality=MUNICIPALITY)


@pytest.fixture(scope="session")
def seed_pdf(seed_view: ReportView) -> bytes:
    """The seed's PDF, rendered once."""
    return render_pdf(seed_view, committee=COMMITTEE, municipality=MUNICIPALITY)


@pytest.fixture(scope="session")
def seed_docx(seed_view: ReportView) -> bytes:
    """The seed's Word file, rendered once."""
    return render_docx(seed_view, committee=COMMITTEE, municipality=MUNICIPALITY)


@pytest.fixture(scope="session")
def small_pdf() -> bytes:
    """The hand-made period's PDF, rendered once."""
    return render_pdf(small_view(), committee=COMMITTEE, municipality=MUNICIPALITY)


@pytest.fixture(scope="session")
def small_docx() -> bytes:
    """The hand-made period's Word file, rendered once."""
    return render_docx(small_view(), committee=COMMITTEE, municipality=MUNICIPALITY)
