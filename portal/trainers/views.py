"""File and edit trainers (enterprise staff); the enterprise's trainer registry."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required, scope_clause
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.pages import changeable_detail, conflict
from ..i18n import gettext as _
from ..labels import DEGREE_LABELS
from ..models import ENTERPRISE_ROLES, Enterprise, Filing, FilingKind, Role, Trainer
from ..pagination import paginate
from ..rules.trainers import mask_id_number
from ..rules.workflow import Status
from . import operations
from .forms import TrainerForm

bp = Blueprint("trainers", __name__)
bp.add_app_template_global(DEGREE_LABELS, "DEGREE_LABELS")
bp.add_app_template_filter(mask_id_number, "mask_id_number")

# Pages that may show a trainer's ID number in full, and to whom (everywhere else: masked).
FULL_ID_ENDPOINTS = frozenset({"filings.show"})
FULL_ID_ROLES = frozenset({Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN, Role.REGULATOR})


@bp.app_template_global()
def trainer_id_number(trainer: Trainer) -> str:
    """The ID number as this page may show it: in full on the filing page for the enterprise
    and regulators, partly hidden everywhere else (receipts, lists, comparisons)."""
    role = getattr(current_user, "role", None)
    if request.endpoint in FULL_ID_ENDPOINTS and role in FULL_ID_ROLES:
        return trainer.id_number
    return mask_id_number(trainer.id_number)


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def list_trainers():
    """The enterprise's trainer registry, optionally only one status; ID numbers masked."""
    stmt = (select(Trainer).join(Trainer.filing).options(contains_eager(Trainer.filing))
            .where(scope_clause(Filing, current_user), Filing.kind == FilingKind.TRAINER))
    status = request.args.get("status", "")
    if status in {s.value for s in Status}:
        stmt = stmt.where(Filing.status == Status(status))
    stmt = stmt.order_by(Trainer.name, Filing.id)
    page = paginate(stmt)
    return render_template("trainers/list.html", page=page, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """File a new trainer as a draft."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    form = TrainerForm()
    if form.validate_on_submit():
        trainer = operations.create(enterprise, form.data_for_model(), current_user)
        db.session.commit()
        flash(_("Trainer saved as draft %(number)s.", number=trainer.filing.number), "success")
        return redirect(url_for("filings.show", filing_id=trainer.filing_id))
    return render_template("trainers/form.html", form=form, trainer=None)


@bp.route("/<int:filing_id>/edit", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def edit(filing_id: int):
    """Correct a draft or returned trainer, or amend an approved one (a new version)."""
    trainer = changeable_detail(filing_id, FilingKind.TRAINER)
    filing = trainer.filing
    form = TrainerForm(obj=trainer, version=filing.version)
    if form.validate_on_submit():
        try:
            operations.update(trainer, form.data_for_model(), current_user,
                              expected_version=form.version.data)
            db.session.commit()
        except (filing_ops.ConflictError, StaleDataError):
            db.session.rollback()
            return conflict(filing_id)
        except filing_ops.RuleViolation as violation:
            db.session.rollback()
            return render_template("trainers/form.html", form=form, trainer=trainer,
                                   problems=violation.problems)
        flash(_("Trainer %(number)s saved.", number=filing.number), "success")
        return redirect(url_for("filings.show", filing_id=filing_id))
    return render_template("trainers/form.html", form=form, trainer=trainer)
