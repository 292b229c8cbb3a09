"""Benchmark: the committee documents (PDF with WeasyPrint, Word with python-docx).

Renders the bundled seed (Ånge kommun 2024 T1, 79 activities) and the generated municipality of
bench/report.py (5,000 activities in 500 units), printing times, pages and sizes.
Target (issue 4): the seed's PDF under 5 s on the project's 2-core machine.

    python bench/documents.py                    # seed and 5,000 activities
    python bench/documents.py --activities 1000  # a smaller generated municipality
    python bench/documents.py --seed-only
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from bench.report import generate_plan  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.domain.periods import parse_period  # noqa: E402
from bot.domain.report import ReportView  # noqa: E402
from bot.reporting.pdf import render_pdf  # noqa: E402
from bot.reporting.pdfa import PDFUA_PART, VARIANT  # noqa: E402
from bot.reporting.word import render_docx  # noqa: E402
from bot.services.demo import seed_report_path  # noqa: E402
from bot.services.plan_import import import_plan  # noqa: E402
from bot.services.report_import import import_report  # noqa: E402
from bot.services.reporting import load_report_view  # noqa: E402
from storage.db import ensure_schema, make_engine, session_scope  # noqa: E402

PERIOD = parse_period("2024-T1")
COMMITTEE = "Kommunstyrelsens arbetsutskott"
MUNICIPALITY = "Ånge kommun"


def _view(settings: Settings) -> ReportView:
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        view = load_report_view(session, period=PERIOD, language="sv")
    engine.dispose()
    return view


def _seed_view(directory: Path) -> ReportView:
    settings = Settings(database_url=f"sqlite:///{directory / 'seed.db'}")
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    import_report(engine, path=seed_report_path(), period=PERIOD, settings=settings)
    engine.dispose()
    return _view(settings)


def _generated_view(directory: Path, *, activities: int, units: int) -> ReportView:
    plan = directory / "plan.csv"
    generate_plan(plan, activities=activities, units=units)
    settings = Settings(database_url=f"sqlite:///{directory / 'generated.db'}")
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    import_plan(engine, path=plan, period=PERIOD, settings=settings)
    engine.dispose()
    return _view(settings)


def _measure(name: str, view: ReportView, *, output: Path | None) -> None:
    started = time.perf_counter()
    pdf = render_pdf(view, committee=COMMITTEE, municipality=MUNICIPALITY)
    pdf_seconds = time.perf_counter() - started
    pages = len(PdfReader(BytesIO(pdf)).pages)
    started = time.perf_counter()
    word = render_docx(view, committee=COMMITTEE, municipality=MUNICIPALITY)
    docx_seconds = time.perf_counter() - started
    print(
        f"{name:22s} {view.summary.total:5d} activities: PDF {pdf_seconds:6.2f} s, {pages} pages, "
        f"{len(pdf) / 1e6:.1f} MB; Word {docx_seconds:5.2f} s, {len(word) / 1e6:.1f} MB",
        flush=True,
    )
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        slug = name.split()[0]
        (output / f"{slug}.pdf").write_bytes(pdf)
        (output / f"{slug}.docx").write_bytes(word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the documents to this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed = _seed_view(Path(tmp))
        started = time.perf_counter()
        import weasyprint  # noqa: F401

        print(f"loading WeasyPrint      {time.perf_counter() - started:.2f} s (once per process)")
        print(f"PDF variant             {VARIANT}, tagged, PDF/UA-{PDFUA_PART} identification")
        _measure("seed (first)", seed, output=None)
        _measure("seed", seed, output=args.output)
        print("target: the seed's PDF under 5 s")
        if not args.seed_only:
            generated = _generated_view(Path(tmp), activities=args.activities, units=args.units)
            _measure(f"generated ({args.units} units)", generated, output=args.output)


if __name__ == "__main__":
    main()
