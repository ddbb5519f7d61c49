"""File and edit trainers (enterprise staff); the enterprise's trainer registry."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..access import own_enterprise, roles_required, scope_clause, scoped
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.pages import changeable_detail, conflict
from ..i18n import date_formatter, html_text
from ..i18n import gettext as _
from ..labels import DEGREE_LABELS, STATUS_LABELS
from ..models import (
    ENTERPRISE_ROLES,
    Filing,
    FilingKind,
    FilingTally,
    Role,
    Trainer,
)
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
    """The enterprise's trainer registry, optionally only one status; ID numbers masked.

    Plain rows written by one format string each (as the review queue's, review.views) and
    the total from the running counts (tally.py): building fifty trainers with their filings
    and a Jinja loop with a Babel date per row were most of the page's time.
    """
    # Scoped on the trainer's own copy of the enterprise (access._detail_scope): the
    # database walks the registry by name (ix_trainer_enterprise_name) and stops after a
    # page. With the filing's enterprise as well, it misjudged the rows and sorted them all.
    stmt = (select(*LIST_COLUMNS).join(Trainer.filing)
            .where(scope_clause(Trainer, current_user)))
    counted = scoped(select(FilingTally), current_user).with_only_columns(
        func.coalesce(func.sum(FilingTally.n), 0)).where(FilingTally.kind == FilingKind.TRAINER)
    status = request.args.get("status", "")
    if status in {s.value for s in Status}:
        stmt = stmt.where(Filing.status == Status(status))
        counted = counted.where(FilingTally.status == Status(status))
    stmt = stmt.order_by(Trainer.name, Trainer.filing_id)
    page = paginate(stmt, rows=True, total=db.session.scalar(counted))
    return render_template("trainers/list.html", page=page, status=status,
                           rows=trainer_rows(page.items))


# What a row of the registry shows, in the order trainer_rows unpacks it.
LIST_COLUMNS = (Trainer.filing_id, Trainer.name, Trainer.id_number, Trainer.degree,
                Trainer.employment_start, Trainer.certificate_no, Filing.number, Filing.status)
# Every value is escaped before it goes in (ids go in as %d); the string itself is markup.
TRAINER_ROW = (
    '<tr><td><a href="%(show)s%(id)d">%(name)s</a></td><td><code>%(id_number)s</code></td>'
    '<td>%(degree)s</td><td>%(since)s</td><td>%(certificate)s</td><td>%(number)s</td>'
    '<td><span class="badge status-%(status)s">%(status_label)s</span></td></tr>'
)


def trainer_rows(rows) -> Markup:
    """The registry's table rows, labels and the date format looked up once per page."""
    degrees = {degree: html_text(label) for degree, label in DEGREE_LABELS.items()}
    statuses = {status: (status.value, html_text(label)) for status, label in STATUS_LABELS.items()}
    when = date_formatter("medium")
    show = html_text(url_for("filings.show", filing_id=0)[:-1])
    lines = []
    for (filing_id, name, id_number, degree, since, certificate, number, status) in rows:
        status_value, status_label = statuses[status]
        lines.append(TRAINER_ROW % {
            "show": show, "id": filing_id, "name": html_text(name),
            "id_number": html_text(mask_id_number(id_number)), "degree": degrees[degree],
            "since": html_text(when(since)), "certificate": html_text(certificate or "—"),
            "number": html_text(number), "status": status_value, "status_label": status_label,
        })
    return Markup("\n".join(lines))  # noqa: S704 (every value is escaped above)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """File a new trainer as a draft."""
    enterprise = own_enterprise()
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
