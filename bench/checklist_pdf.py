"""Benchmark: how long one spot-check checklist PDF takes to render (cold, warm, cached).

    make bench            # or: .venv/bin/python bench/checklist_pdf.py [--renders N]

Builds a throw-away SQLite database with the demo data in a temporary folder, then renders the
checklist of demo-inspector's first check N times without the cache and prints the first
(cold) render and the median and 95th percentile of the rest, then the median of N renders
served from the cache. Target: warm median under 250 ms for the one page with its CJK font.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def _summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main(renders: int) -> int:
    folder = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = folder
    from flask import render_template
    from sqlalchemy import select

    from portal import create_app, demo
    from portal.extensions import db
    from portal.inspections import checklist
    from portal.models import Check, User
    from portal.pdf import html_to_pdf

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        demo.seed("Bench-password-1")
        db.session.commit()
    with app.test_request_context("/?lang=zh"):
        inspector = db.session.scalar(select(User).where(User.username == "demo-inspector"))
        check = next(c for c in db.session.scalars(select(Check).order_by(Check.id))
                     if inspector in c.inspectors)
        context = checklist.context(check)
        times = []
        for _ in range(renders):
            start = time.perf_counter()
            pdf = html_to_pdf(render_template("pdf/checklist.html", **context))
            times.append((time.perf_counter() - start) * 1000)
        cached = []
        for _ in range(renders):
            start = time.perf_counter()
            checklist.render(check)
            cached.append((time.perf_counter() - start) * 1000)
    median, p95 = _summary(times[1:] or times)
    print(f"checklist PDF ({check.number}, {len(check.plan.items)} items, {len(pdf):,} bytes): "
          f"cold {times[0]:.0f} ms, warm median {median:.0f} ms, p95 {p95:.0f} ms "
          f"over {len(times[1:])} renders; from the cache: median "
          f"{statistics.median(cached[1:] or cached):.1f} ms")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=21)
    sys.exit(main(parser.parse_args().renders))
