"""Regulator pages: the dashboard, the jurisdiction's enterprises, the review queue and
decisions, and the claims checker's phrase list (which administrators maintain as well)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..filings.operations import ConflictError
from ..filings.pages import conflict
from ..labels import ACTION_LABELS
from ..meetings import claims
from ..meetings.labels import CLAIM_CATEGORY_LABELS
from ..models import ClaimPhrase, Enterprise, Filing, Role
from ..pagination import paginate
from ..rules.workflow import Action, TransitionError
from . import dashboard, operations, queue
from .forms import ClaimPhraseForm, duplicate_message

bp = Blueprint("review", __name__)


@bp.get("/")
@roles_required(Role.REGULATOR)
def home():
    """Regulator home, the bureau dashboard: the jurisdiction, its enterprises, filings by
    status and kind, the oldest undecided filings and the decisions of the last weeks."""
    count = db.session.scalar(
        scoped(select(Enterprise), current_user).with_only_columns(func.count(Enterprise.id))
    )
    today = dashboard.today_in_china()
    weeks = dashboard.decisions_per_week(current_user, today)
    return render_template(
        "review/home.html", bureau=current_user.bureau, enterprise_count=count, today=today,
        matrix=dashboard.status_kind_matrix(current_user), statuses=dashboard.STATUSES,
        kinds=dashboard.KINDS, oldest=dashboard.oldest_undecided(current_user),
        age=dashboard.age, weeks=weeks, chart=dashboard.bar_chart(weeks),
        decisions=dashboard.DECISIONS,
    )


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
                         request.args.get("page", 1, type=int))
    enterprise = None
    if filters.enterprise is not None:
        enterprise = db.session.scalar(scoped(
            select(Enterprise).where(Enterprise.id == filters.enterprise), current_user))
    return render_template(
        "review/queue.html", filters=filters, result=result, enterprise=enterprise,
        regions=queue.region_choices(current_user), time_left=queue.time_left,
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


# The claims checker's phrase list: data regulators extend (DOMAIN.md), one list for all bureaus.


@bp.get("/claim-phrases")
@roles_required(Role.REGULATOR, Role.ADMIN)
def list_claim_phrases():
    """The phrases the claims checker looks for in meetings, filterable, with the add form."""
    category, state = request.args.get("category", ""), request.args.get("state", "")
    query = request.args.get("q", "").strip()[:64]
    page = paginate(claims.phrase_catalogue(category, state, query))
    return render_template("review/claim_phrases.html", page=page, form=ClaimPhraseForm(),
                           category=category, state=state, query=query,
                           categories=CLAIM_CATEGORY_LABELS)


@bp.route("/claim-phrases/new", methods=["GET", "POST"])
@roles_required(Role.REGULATOR, Role.ADMIN)
def add_claim_phrase():
    """Add a phrase to the checker's list; a phrase it holds already is refused."""
    form = ClaimPhraseForm()
    if form.validate_on_submit():
        try:
            row = claims.add_phrase(form.phrase.data, form.category.data)
            db.session.commit()
        except claims.DuplicatePhrase as duplicate:
            db.session.rollback()
            form.phrase.errors.append(duplicate_message(duplicate.existing))
        except IntegrityError:  # saved by someone else a moment ago
            db.session.rollback()
            form.phrase.errors.append(_("Someone added this phrase a moment ago."))
        else:
            flash(_("Phrase “%(phrase)s” added: the checker looks for it in every meeting "
                    "checked from now on.", phrase=row.phrase), "success")
            return redirect(url_for("review.list_claim_phrases"))
    return render_template("review/claim_phrase_form.html", form=form,
                           categories=CLAIM_CATEGORY_LABELS)


@bp.post("/claim-phrases/<int:phrase_id>/deactivate")
@roles_required(Role.REGULATOR, Role.ADMIN)
def deactivate_claim_phrase(phrase_id: int):
    """Stop the checker looking for a phrase (it stays in the list)."""
    row = get_scoped_or_404(ClaimPhrase, phrase_id)
    claims.set_phrase_active(row, False)
    db.session.commit()
    flash(_("Phrase “%(phrase)s” deactivated.", phrase=row.phrase), "success")
    return redirect(url_for("review.list_claim_phrases"))


@bp.post("/claim-phrases/<int:phrase_id>/reactivate")
@roles_required(Role.REGULATOR, Role.ADMIN)
def reactivate_claim_phrase(phrase_id: int):
    """Let the checker look for a deactivated phrase again."""
    row = get_scoped_or_404(ClaimPhrase, phrase_id)
    claims.set_phrase_active(row, True)
    db.session.commit()
    flash(_("Phrase “%(phrase)s” reactivated.", phrase=row.phrase), "success")
    return redirect(url_for("review.list_claim_phrases"))
