"""The benchmarks run at a tiny scale, so they cannot rot unnoticed."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
