"""Warnings and flags in the queue, and the queue exported as CSV and XLSX."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import AuditEvent, Enterprise, Filing
from portal.rules.problems import Problem, Severity
from portal.rules.workflow import Action, Side

from ..factories import make_flag, make_outlet
from .conftest import signed_in, user
from .test_queue import page_of, queue_world  # noqa: F401  (fixture)


def numbers_in(html):
    import re
    return re.findall(r">((?:WD|PY|PX|TH)-\d{4}-\d{6})<", html)


def test_warnings_are_counted_at_submission(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        filing = make_outlet(a, user("ent-staff"), "140502", submit=False)
        warning = Problem("meeting_reads_like_recruitment", severity=Severity.WARNING)
        error_free = [warning, warning]
        filing_ops.apply(filing, Action.SUBMIT, user("ent-staff"), Side.ENTERPRISE,
                         problems=error_free)
        assert filing.warning_count == 2
        filing_ops.apply(filing, Action.RETURN, user("regulator"), Side.BUREAU, reasons=["其他"])
        filing_ops.apply(filing, Action.RESUBMIT, user("ent-staff"), Side.ENTERPRISE)
        assert filing.warning_count == 0
        db.session.rollback()


def test_filters_for_warnings_and_flags(app, world, queue_world):  # noqa: F811
    with app.app_context():
        warned = db.session.get(Filing, queue_world["other_district"])
        warned.warning_count = 1
        make_flag(db.session.get(Filing, queue_world["of_c"]), user("regulator"))
        cleared = make_flag(db.session.get(Filing, world.filing_a), user("regulator"))
        cleared.cleared_at = cleared.raised_at
        db.session.commit()
        number = {k: db.session.get(Filing, v).number for k, v in queue_world.items()
                  if k != "enterprise_c"}
    client = signed_in(app, "regulator")
    assert numbers_in(page_of(client, "warnings=1")) == [number["other_district"]]
    page = page_of(client, "flagged=1")
    assert numbers_in(page) == [number["of_c"]] and "Flagged" in page
    assert numbers_in(page_of(client, "flagged=1&warnings=1")) == []
    assert "Rule warnings: 1" in page_of(client)


def export(client, fmt, query=""):
    response = client.get(f"/review/queue/export.{fmt}?lang=en&{query}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def csv_rows(response):
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_export_holds_exactly_the_filtered_list(app, world, queue_world):  # noqa: F811
    client = signed_in(app, "regulator")
    for query in ("", "status=all", "status=all&region=140525", "status=all&q=泽州",
                  "status=approved", "status=all&sort=newest"):
        listed = numbers_in(page_of(client, query))
        rows = csv_rows(export(client, "csv", query))
        assert rows[0][:3] == ["Number", "Kind", "Title"]
        assert [r[0] for r in rows[1:]] == listed, query
        book = load_workbook(io.BytesIO(export(client, "xlsx", query).get_data()))
        sheet = book.active
        cells = [row for row in sheet.iter_rows(values_only=True)]
        assert [r[0] for r in cells[1:]] == listed, query
    # Content of one row, in English and with local times.
    rows = csv_rows(export(client, "csv", "status=approved"))
    (row,) = rows[1:]
    assert row[1] == "Service outlet" and row[7] == "Approved" and row[5] == "140502"
    assert row[9] and row[10]  # submitted and decided, yyyy-MM-dd HH:mm
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "queue.exported")
                                  .order_by(AuditEvent.id.desc()))
        assert event.details["rows"] == 1 and event.details["format"] == "csv"


def test_the_export_goes_past_one_page_and_stops_at_the_limit(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        for _ in range(30):
            make_outlet(a, user("ent-staff"), "140502")
        db.session.commit()
    client = signed_in(app, "regulator")
    assert len(csv_rows(export(client, "csv"))) == 1 + 31  # world's filing_a and 30 more
    app.config["EXPORT_MAX_ROWS"] = 10
    try:
        response = client.get("/review/queue/export.csv?lang=en&kind=outlet")
        assert response.status_code == 302 and "kind=outlet" in response.headers["Location"]
        assert "Narrow the filters" in client.get(response.headers["Location"]).get_data(
            as_text=True)
    finally:
        app.config["EXPORT_MAX_ROWS"] = 100_000


def test_cells_that_look_like_formulas_are_neutralised(app, world):
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        filing.title = "=HYPERLINK(\"http://evil\")"
        db.session.commit()
    client = signed_in(app, "regulator")
    rows = csv_rows(export(client, "csv"))
    assert rows[1][2] == "'=HYPERLINK(\"http://evil\")"
    sheet = load_workbook(io.BytesIO(export(client, "xlsx").get_data())).active
    assert sheet.cell(2, 3).value.startswith("'=")


def test_another_bureau_exports_only_its_own(app, world):
    rows = csv_rows(export(signed_in(app, "regulator2"), "csv", "status=all"))
    with app.app_context():
        assert [r[0] for r in rows[1:]] == [db.session.get(Filing, world.filing_b).number]
