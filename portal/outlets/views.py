"""Register, edit and bulk-import service outlets (enterprise staff)."""

import os
import unicodedata
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..access import own_enterprise, roles_required
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.forms import district_choices
from ..filings.pages import changeable_detail, conflict
from ..filings.uploads import keep_upload
from ..i18n import gettext as _
from ..models import ENTERPRISE_ROLES, FilingKind
from ..rules.workflow import Status
from . import import_files, importer, operations
from .forms import ImportForm, OutletForm
from .tables import column_label

bp = Blueprint("outlets", __name__)


def _prepare(form: OutletForm, enterprise) -> None:
    form.region_code.choices = district_choices(enterprise)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """Register a new outlet as a draft."""
    enterprise = own_enterprise()
    form = OutletForm()
    _prepare(form, enterprise)
    if form.is_submitted():
        document, upload_error = keep_upload(
            form.proof, form.proof_document_id, enterprise.id, current_user
        )
        if form.validate() and upload_error is None:
            outlet = operations.create(enterprise, form.data_for_model(), document, current_user)
            db.session.commit()
            flash(_("Outlet saved as draft %(number)s.", number=outlet.filing.number), "success")
            return redirect(url_for("filings.show", filing_id=outlet.filing_id))
        if upload_error:
            form.proof.errors = [upload_error]
    else:
        document = None
    return render_template("outlets/form.html", form=form, document=document, outlet=None)


@bp.route("/<int:filing_id>/edit", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def edit(filing_id: int):
    """Correct a draft or returned outlet, or amend an approved one (a new version for review)."""
    outlet = changeable_detail(filing_id, FilingKind.OUTLET)
    filing = outlet.filing
    enterprise = filing.enterprise
    form = OutletForm(obj=outlet, version=filing.version)
    _prepare(form, enterprise)
    document = outlet.proof_document
    if form.is_submitted():
        kept, upload_error = keep_upload(
            form.proof, form.proof_document_id, enterprise.id, current_user
        )
        document = kept or document
        if form.validate() and upload_error is None:
            try:
                operations.update(outlet, form.data_for_model(), kept, current_user,
                                  expected_version=form.version.data)
                db.session.commit()
            except (filing_ops.ConflictError, StaleDataError):
                db.session.rollback()
                return conflict(filing_id)
            except filing_ops.RuleViolation as violation:
                db.session.rollback()
                return render_template("outlets/form.html", form=form, document=document,
                                       outlet=outlet, problems=violation.problems)
            flash(_("Outlet %(number)s saved.", number=filing.number), "success")
            return redirect(url_for("filings.show", filing_id=filing_id))
        if upload_error:
            form.proof.errors = [upload_error]
    elif document is not None:
        form.proof_document_id.data = str(document.id)
    return render_template("outlets/form.html", form=form, document=document, outlet=outlet)


def _shown_name(filename: str | None) -> str:
    """The uploaded file's name, safe to show and to record: no path, no control characters."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:100]


def _import_page(form, enterprise, checked=None, filename=""):
    """The import page: steps, the column guide, the form, and the problems of a refused file."""
    return render_template(
        "outlets/import.html",
        form=form,
        checked=checked,
        filename=filename,
        report=import_files.report_token(checked.errors, current_user, filename)
        if checked and checked.errors else None,
        max_rows=current_app.config["OUTLET_IMPORT_MAX_ROWS"],
        column_label=column_label,
        error_message=importer.error_message,
        **import_files.guide(enterprise),
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def import_outlets():
    """Import outlets from a CSV or XLSX file as drafts: every row, or none and the problems."""
    enterprise = own_enterprise()
    form = ImportForm()
    checked, filename = None, ""
    if form.validate_on_submit():
        filename = _shown_name(form.file.data.filename)
        try:
            checked = importer.check_file(form.file.data.read(), enterprise,
                                          current_app.config["OUTLET_IMPORT_MAX_ROWS"])
        except importer.FileRefused as refusal:
            form.file.errors.append(refusal.message())
        else:
            if not checked.error_count:
                outlets = operations.import_rows(enterprise, [data for _n, data in checked.rows],
                                                 current_user, filename)
                db.session.commit()
                flash(_("%(count)s outlets imported as drafts (%(first)s to %(last)s). Check "
                        "them and submit each for review.", count=len(outlets),
                        first=outlets[0].filing.number, last=outlets[-1].filing.number),
                      "success")
                return redirect(url_for("filings.list_filings", kind=FilingKind.OUTLET.value,
                                        status=Status.DRAFT.value))
    return _import_page(form, enterprise, checked, filename)


@bp.get("/import/template.<any(csv, xlsx):fmt>")
@roles_required(*ENTERPRISE_ROLES)
def import_template(fmt: str):
    """The blank import template (Chinese and English headings, an example row)."""
    enterprise = own_enterprise()
    if fmt == "xlsx":
        data, mimetype = import_files.template_xlsx(enterprise), import_files.XLSX_TYPE
    else:
        data, mimetype = import_files.template_csv(enterprise), "text/csv"
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"outlet-import-template.{fmt}", max_age=0)


@bp.post("/import/report")
@roles_required(*ENTERPRISE_ROLES)
def import_report():
    """The problems of a refused import as CSV, from the signed list its result page carries.

    :raise 400: no report, or one made for another user.
    """
    report = import_files.read_report_token(request.form.get("report", ""), current_user)
    if report is None:
        abort(400)
    _filename, errors = report
    return send_file(BytesIO(import_files.report_csv(errors)), mimetype="text/csv",
                     as_attachment=True, download_name="outlet-import-problems.csv", max_age=0)
