"""Register and edit service outlets (enterprise staff)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.forms import district_choices
from ..filings.pages import conflict
from ..filings.uploads import own_document, store_upload, upload_message
from ..models import ENTERPRISE_ROLES, Enterprise, Filing, FilingKind, Outlet
from ..rules import workflow
from ..rules.workflow import Status
from ..storage import UploadError
from . import operations
from .forms import OutletForm

bp = Blueprint("outlets", __name__)


def _prepare(form: OutletForm, enterprise) -> None:
    form.region_code.choices = district_choices(enterprise)


def _kept_upload(form: OutletForm, enterprise):
    """Store a newly chosen file, or keep the one uploaded with an earlier attempt.

    Returns (document or None, error message or None). The document is committed at once so
    that a form error elsewhere never makes the user upload it again.
    """
    if form.proof.data and getattr(form.proof.data, "filename", ""):
        try:
            document = store_upload(form.proof.data, enterprise.id, current_user)
        except UploadError as error:
            return own_document(form.proof_document_id.data, enterprise.id), upload_message(
                error, {"application/pdf", "image/jpeg", "image/png"}
            )
        db.session.commit()
        form.proof_document_id.data = str(document.id)
        return document, None
    return own_document(form.proof_document_id.data, enterprise.id), None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """Register a new outlet as a draft."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    form = OutletForm()
    _prepare(form, enterprise)
    if form.is_submitted():
        document, upload_error = _kept_upload(form, enterprise)
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
    filing = get_scoped_or_404(Filing, filing_id)
    if filing.kind is not FilingKind.OUTLET:
        return redirect(url_for("filings.show", filing_id=filing_id))
    if filing.status not in workflow.EDITABLE | {Status.APPROVED}:
        flash(_("This filing can no longer be changed."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    outlet = db.session.get(Outlet, filing_id)
    enterprise = filing.enterprise
    form = OutletForm(obj=outlet, version=filing.version)
    _prepare(form, enterprise)
    document = outlet.proof_document
    if form.is_submitted():
        kept, upload_error = _kept_upload(form, enterprise)
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
