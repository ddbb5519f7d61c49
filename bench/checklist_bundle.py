"""Benchmark: a plan's checklists in one PDF (the task behind "All checklists in one PDF").

    make bench            # or: .venv/bin/python bench/checklist_bundle.py [--checks N]

Builds a throw-away SQLite database with the demo data in a temporary folder, adds N
enterprises approved in Jincheng, draws a plan of N checks for the Jincheng bureau (every
check item, two inspectors each) and runs the bundle task in this process, as the worker
would. Prints the time, the pages and size of the PDF, and the process's resident memory
before the task and its peak during it (VmHWM, reset just before: WeasyPrint's memory is
mostly outside Python's heap, so tracemalloc would miss it).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from io import BytesIO


def rss_mb(field: str = "VmRSS") -> float:
    """The process's resident memory (VmRSS) or its peak since the last reset (VmHWM), MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: lifetime peak


def reset_peak() -> None:
    """Start measuring the peak afresh (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def main(checks: int) -> int:
    folder = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = folder
    from pypdf import PdfReader
    from sqlalchemy import insert, select

    from portal import create_app, demo
    from portal.extensions import db
    from portal.inspections import bundles
    from portal.inspections import operations as plans
    from portal.models import (
        Bureau,
        CheckItem,
        ChecklistBundle,
        Enterprise,
        EnterpriseRegion,
        EnterpriseStatus,
        TargetKind,
        User,
    )
    from portal.storage import get_store

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "HUEY_IMMEDIATE": True})
    with app.app_context():
        db.create_all()
        demo.seed("Bench-password-1")
        db.session.commit()
        db.session.execute(insert(Enterprise), [{
            "name": f"抽查压测企业{n:04d}有限公司", "name_en": f"Bench Target {n:04d} Co., Ltd.",
            "credit_code": demo.credit_code(f"91140502MA9C{n:05d}"),
            "licence_no": f"直销经营许可证〔2021〕第8{n:03d}号",
            "licence_issued_on": date(2021, 1, 1), "address": f"抽查压测路{n}号",
            "region_code": "140502", "status": EnterpriseStatus.ACTIVE,
        } for n in range(checks)])
        ids = db.session.scalars(select(Enterprise.id).where(
            Enterprise.name.like("抽查压测企业%"))).all()
        db.session.execute(insert(EnterpriseRegion), [
            {"enterprise_id": i, "region_code": "140500", "approved_on": date(2021, 1, 1)}
            for i in ids])
        bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == "晋城市监"))
        regulator = db.session.scalar(select(User).where(User.username == "demo-regulator"))
        items = db.session.scalars(select(CheckItem.id).order_by(CheckItem.position)).all()
        plan = plans.create_plan(bureau, plans.PlanFields(
            name="合并检查表压测计划", target_kind=TargetKind.ENTERPRISE, region_code="140500",
            sample_count=checks, sample_ratio=None, per_target=2,
            window_start=date(2026, 12, 1), window_end=date(2026, 12, 31), item_ids=items),
            regulator)
        drawn = plans.draw_plan(plan, regulator)
        bundle, _ = bundles.request_bundle(plan, "zh", regulator, "http://127.0.0.1:5000")
        db.session.commit()
        bundle_id = bundle.id
        before = rss_mb()
        reset_peak()
        start = time.perf_counter()
        bundles.build(bundle_id)
        elapsed = time.perf_counter() - start
        during = rss_mb("VmHWM")
        bundle = db.session.get(ChecklistBundle, bundle_id)
        assert bundle.status.value == "done", bundle.status
        with get_store().open(bundle.document_sha256) as f:
            pages = len(PdfReader(BytesIO(f.read())).pages)
    print(f"combined checklists: {len(drawn)} checks ({len(items)} items each) in "
          f"{elapsed:.1f} s ({elapsed / len(drawn) * 1000:.0f} ms a check), {pages} pages, "
          f"{bundle.size / 1024 / 1024:.1f} MB; resident memory {before:.0f} MB before, "
          f"peak {during:.0f} MB during")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200)
    sys.exit(main(parser.parse_args().checks))
