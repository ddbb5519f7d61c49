"""Benchmark: how long one filing receipt PDF takes to render (cold and warm).

    make bench            # or: .venv/bin/python bench/receipt_pdf.py [--renders N]

Builds a throw-away SQLite database with the demo data in a temporary folder, then renders
the receipt of a submitted filing N times and prints the first (cold) render and the median
and 95th percentile of the rest. Target: warm median well under one second.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def main(renders: int) -> int:
    folder = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = folder
    from sqlalchemy import select

    from portal import create_app, demo
    from portal.extensions import db
    from portal.filings.kinds import KINDS
    from portal.filings.pages import detail_of
    from portal.models import Filing
    from portal.pdf import render_pdf

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        demo.seed("Bench-password-1")
        db.session.commit()
    with app.test_request_context("/"):
        filing = db.session.scalars(
            select(Filing).where(Filing.submitted_at.isnot(None)).order_by(Filing.id)
        ).first()
        detail = detail_of(filing)
        info = KINDS[filing.kind]
        times = []
        for _ in range(renders):
            start = time.perf_counter()
            pdf = render_pdf("pdf/receipt.html", filing=filing, detail=detail, info=info,
                             documents=info.documents(detail))
            times.append((time.perf_counter() - start) * 1000)
    warm = sorted(times[1:])
    p95 = warm[max(0, int(len(warm) * 0.95) - 1)]
    print(f"receipt PDF ({filing.kind.value}, {len(pdf):,} bytes): cold {times[0]:.0f} ms, "
          f"warm median {statistics.median(warm):.0f} ms, p95 {p95:.0f} ms "
          f"over {len(warm)} renders")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=21)
    sys.exit(main(parser.parse_args().renders))
