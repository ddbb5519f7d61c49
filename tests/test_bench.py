"""The benchmarks run at a tiny scale, so they cannot rot unnoticed."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The benchmarks build their own databases and never touch the one under test, so `make test`
# runs them once, in its SQLite pass, not again in the PostgreSQL pass.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="run once, in the SQLite pass (the benchmarks use their own databases)",
)


def test_receipt_benchmark_runs():
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "receipt_pdf.py"), "--renders", "2"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "warm median" in result.stdout


def test_draw_benchmark_runs():
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "draw.py"), "--targets", "300",
         "--inspectors", "6", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("median") == 3


def test_checklist_benchmark_runs():
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "checklist_pdf.py"), "--renders", "2"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "warm median" in result.stdout and "from the cache" in result.stdout


def test_checklist_bundle_benchmark_runs():
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "checklist_bundle.py"), "--checks", "3"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "combined checklists: 3 checks" in result.stdout and "3 pages" in result.stdout


@pytest.mark.skipif(shutil.which("wrk") is None and os.environ.get("CI") != "true",
                    reason="wrk is not installed (make bench-prereqs); CI always runs it")
def test_queue_benchmark_runs(tmp_path):
    out = tmp_path / "queue.json"
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "queue_bench.py"), "--filings", "300",
         "--duration", "1", "--connections", "2", "--databases", "sqlite", "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    runs = json.loads(out.read_text())["runs"]
    assert [run["database"] for run in runs] == ["sqlite"]
    pages = {r["page"]: r for r in runs[0]["results"]}
    assert {"bare Flask route", "queue: meetings, submitted, one district",
            "queue: 1000th page (all statuses)",
            "queue: meetings, submitted, one district, rendered",
            "queue: 1000th page (all statuses), rendered",
            "bare Flask route, again (drift)"} <= set(pages)
    for page in pages.values():  # every page answered, only with 200s
        assert page["requests"] > 0 and page["failures"] == 0, page
    assert "% of bare" in result.stdout


def test_load_mix_runs_and_saves_every_submission(tmp_path):
    out = tmp_path / "load.json"
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "bench" / "load_mix.py"), "--users", "6", "--duration",
         "6", "--filings", "300", "--databases", "sqlite", "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [run] = json.loads(out.read_text())
    assert run["errors"] == 0 and run["submission_problems"] == []
    assert {"public", "enterprise", "regulator"} <= set(run) and run["all"]["requests"] > 20
