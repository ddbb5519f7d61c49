"""Regulator pages: the jurisdiction, its enterprises, the review queue and decisions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..filings.operations import ConflictError
from ..filings.pages import conflict
from ..labels import ACTION_LABELS, KIND_LABELS, STATUS_LABELS
from ..models import Enterprise, Filing, Role
from ..pagination import paginate
from ..rules.workflow import Action, TransitionError
from . import operations, queue

bp = Blueprint("review", __name__)


@bp.get("/")
@roles_required(Role.REGULATOR)
def home():
    """Regulator home: the bureau, its jurisdiction and the enterprises licensed in it."""
    count = db.session.scalar(
        scoped(select(Enterprise), current_user).with_only_columns(func.count(Enterprise.id))
    )
    return render_template("review/home.html", bureau=current_user.bureau, enterprise_count=count)


@bp.get("/enterprises")
@roles_required(Role.REGULATOR)
def list_enterprises():
    """Enterprises selling or seated in the jurisdiction, searchable by name or codes."""
    stmt = scoped(select(Enterprise), current_user).order_by(Enterprise.name, Enterprise.id)
    query = request.args.get("q", "").strip()
    if query:
        like = f"%{query}%"
        stmt = stmt.where(
            or_(
                Enterprise.name.ilike(like),
                Enterprise.credit_code.ilike(like),
                Enterprise.licence_no.ilike(like),
            )
        )
    page = paginate(stmt)
    return render_template("review/enterprises.html", page=page, query=query)


@bp.get("/enterprises/<int:enterprise_id>")
@roles_required(Role.REGULATOR)
def show_enterprise(enterprise_id: int):
    """One enterprise in the jurisdiction: licence and approved regions."""
    enterprise = get_scoped_or_404(Enterprise, enterprise_id)
    return render_template("review/enterprise.html", enterprise=enterprise)


@bp.get("/queue")
@roles_required(Role.REGULATOR)
def review_queue():
    """Every kind of filing in the jurisdiction: filters, counts per status, oldest first."""
    filters = queue.Filters.from_args(request.args)
    result = queue.build(filters, current_user, current_app.config["PAGE_SIZE"],
                         after=request.args.get("after"), before=request.args.get("before"))
    enterprise = None
    if filters.enterprise is not None:
        enterprise = db.session.scalar(scoped(
            select(Enterprise).where(Enterprise.id == filters.enterprise), current_user))
    return render_template(
        "review/queue.html", filters=filters, result=result, enterprise=enterprise,
        regions=queue.region_choices(current_user), time_left=queue.time_left,
        kind_names={kind: str(label) for kind, label in KIND_LABELS.items()},
        status_names={status: str(label) for status, label in STATUS_LABELS.items()},
    )


@bp.post("/filings/<int:filing_id>/<action>")
@roles_required(Role.REGULATOR)
def decide(filing_id: int, action: str):
    """Approve, return or reject a filing in the jurisdiction; 409 if it changed meanwhile."""
    filing = get_scoped_or_404(Filing, filing_id)
    if action not in {a.value for a in operations.DECISIONS}:
        abort(404)
    action = Action(action)
    version = request.form.get("version", "")
    try:
        operations.decide(
            filing, action, current_user,
            reason_ids=request.form.getlist("reasons"),
            comment=request.form.get("comment"),
            # A decision always names the version it was taken on; none or garbage is stale.
            expected_version=version,
        )
        db.session.commit()
    except (ConflictError, StaleDataError):
        db.session.rollback()
        return conflict(filing_id)
    except operations.UnknownReason:
        db.session.rollback()
        flash(_("Choose the reasons from the list."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    except TransitionError as error:
        db.session.rollback()
        if error.code == "reasons_required":
            flash(_("Choose at least one reason."), "error")
        else:
            flash(_("This action is not possible in the filing's current state."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    flash(_("%(action)s: %(number)s.", action=ACTION_LABELS[action], number=filing.number),
          "success")
    return redirect(url_for("filings.show", filing_id=filing_id))
