"""The annual work report (年度工作总结) of a regulator's bureau: a page, its PDF and its
spreadsheet, for any period of up to three years, beside the previous period of equal length.

Read-only: nothing changes, so nothing is audited; regulators only, their bureau only.
"""

from io import BytesIO

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..access import roles_required
from ..models import Role
from ..pdf import render_pdf
from ..review.dashboard import today_in_china
from . import figures, presentation, sheet
from .forms import PeriodForm

bp = Blueprint("reports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form() -> PeriodForm:
    """The period asked for in the query string; this year to date when none was."""
    if "start" in request.args or "end" in request.args:
        return PeriodForm(formdata=request.args)
    default = figures.Period.year_to_date(today_in_china())
    return PeriodForm(formdata=MultiDict({"start": default.start.isoformat(),
                                          "end": default.end.isoformat()}))


def _context(report) -> dict:
    return dict(
        report=report, bureau=current_user.bureau, sections=presentation.rows_of(report),
        kinds=presentation.kind_rows(report), decision_keys=presentation.DECISION_KEYS,
        number=presentation.number, change_text=presentation.change_text,
        change_percent=presentation.change_percent,
        received_chart=presentation.received_chart(report),
        decisions_chart=presentation.decisions_chart(report),
        failed_chart=presentation.failed_chart(report), today=today_in_china(),
    )


def _report_or_form_page():
    """(report, None), or (None, the form page with its errors, 400)."""
    form = _form()
    if not form.validate():
        return None, (render_template("reports/annual.html", form=form, report=None), 400)
    period = figures.Period(form.start.data, form.end.data)
    return figures.build(current_user, period), None


def _download_name(report, extension: str) -> str:
    return f"annual-report-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.{extension}"


@bp.get("/annual")
@roles_required(Role.REGULATOR)
def annual():
    """The report page: the period form, the figures, charts and tables, download links."""
    report, refused = _report_or_form_page()
    if refused:
        return refused
    return render_template("reports/annual.html", form=_form(), **_context(report))


@bp.get("/annual.pdf")
@roles_required(Role.REGULATOR)
def annual_pdf():
    """The report as an A4 PDF in the user's language, charts included."""
    report, refused = _report_or_form_page()
    if refused:
        return refused
    pdf = render_pdf("pdf/annual_report.html", **_context(report))
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=_download_name(report, "pdf"), max_age=0)


@bp.get("/annual.xlsx")
@roles_required(Role.REGULATOR)
def annual_xlsx():
    """The report's figures as a spreadsheet (one sheet each: summary, kinds, categories)."""
    report, refused = _report_or_form_page()
    if refused:
        return refused
    data = sheet.xlsx_bytes(report, current_user.bureau)
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=_download_name(report, "xlsx"), max_age=0)
