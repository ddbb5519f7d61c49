"""The enterprise's own pages."""

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..access import get_scoped_or_404, own_enterprise, roles_required, scoped
from ..admin import operations
from ..admin.views import report_clash, reset_password_page, set_active_and_report
from ..extensions import db
from ..i18n import datetime_formatter, format_number
from ..i18n import gettext as _
from ..labels import KIND_LABELS, STATUS_LABELS
from ..models import ENTERPRISE_ROLES, Role, User
from ..pagination import paginate
from ..review.reasons import decision_reasons
from .forms import NewStaffForm, StaffForm
from .overview import Overview, licence_facts, overview

bp = Blueprint("enterprise", __name__)
# Where the enterprise reports a meeting's actual attendance (the meetings area).
ATTENDANCE_ENDPOINT = "meetings.report_attendance"


@dataclass
class Line:
    """One line of a list on the home page, every text ready to print."""

    id: int
    number: str = ""
    title: str = ""
    kind: str = ""
    when: str = ""  # returned, last changed, ended (with its words) or starts (the time)
    reasons: str = ""
    comment: str = ""
    venue: str = ""
    status: str = ""
    status_label: str = ""


@dataclass
class CountRow:
    """One kind's row of the counts table: (number, link or "") per status, then the total."""

    label: str
    url: str
    cells: list
    total: str


def _lines(result: Overview) -> dict:
    """The home page's lists with their labels, wordings and dates looked up once per page,
    not per row (per-row template calls were most of the page's time)."""
    kinds = {kind: str(label) for kind, label in KIND_LABELS.items()}
    when = datetime_formatter("short")
    # Translated once, filled in per row.
    returned, changed, ended = (_("returned %(when)s"), _("last changed %(when)s"),
                                _("ended %(when)s"))
    return {
        "returned": [Line(
            id=row.id, number=row.number, title=row.title, kind=kinds[row.kind],
            when=returned % {"when": when(row.at)} if row.at else "",
            reasons=decision_reasons(row.reasons or ()), comment=row.comment or "",
        ) for row in result.returned],
        "drafts": [Line(
            id=row.id, number=row.number, title=row.title, kind=kinds[row.kind],
            when=changed % {"when": when(row.at)},
        ) for row in result.drafts],
        "attendance_due": [Line(
            id=row.id, number=row.number, title=row.title,
            when=ended % {"when": when(row.at)},
        ) for row in result.attendance_due],
        "upcoming": [Line(
            id=row.id, title=row.title, when=when(row.at), venue=row.venue_name,
            status=row.status.value, status_label=str(STATUS_LABELS[row.status]),
        ) for row in result.upcoming],
    }


def _count_rows(result: Overview) -> list[CountRow]:
    """The counts table: a row per kind, a cell per status linking to the filings list."""
    list_url = url_for("filings.list_filings")
    rows = []
    for kind, label in KIND_LABELS.items():
        url = f"{list_url}?kind={kind.value}"
        cells = []
        for status in STATUS_LABELS:
            n = result.counts.get((kind, status), 0)
            cells.append((format_number(n), f"{url}&status={status.value}") if n else ("0", ""))
        rows.append(CountRow(str(label), url, cells, format_number(result.count(kind=kind))))
    return rows


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def home():
    """Enterprise staff home: the enterprise's licence, approved regions and what needs action."""
    enterprise = licence_facts(current_user)
    if enterprise is None:
        abort(404)
    result = overview(current_user)
    return render_template(
        "enterprise/home.html",
        enterprise=enterprise,
        overview=result,
        lines=_lines(result),
        count_rows=_count_rows(result),
        attendance_endpoint=ATTENDANCE_ENDPOINT
        if ATTENDANCE_ENDPOINT in current_app.view_functions else None,
    )


@bp.get("/staff")
@roles_required(Role.ENTERPRISE_ADMIN)
def list_staff():
    """The enterprise's own user accounts (enterprise administrators only)."""
    stmt = scoped(select(User), current_user).order_by(User.username)
    page = paginate(stmt)
    return render_template("enterprise/staff.html", page=page)


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(Role.ENTERPRISE_ADMIN)
def create_staff():
    """Create an account for the enterprise's own staff (enterprise administrators only)."""
    form = NewStaffForm(role=Role.ENTERPRISE_STAFF)
    if form.validate_on_submit():
        enterprise = own_enterprise()
        try:
            user = operations.create_user(
                **form.values(),
                username=form.username.data,
                password=form.password.data,
                enterprise=enterprise,
                must_change_password=True,
            )
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Account %(username)s created.", username=user.username), "success")
            return redirect(url_for("enterprise.list_staff"))
    return render_template("enterprise/staff_form.html", form=form, user=None)


@bp.route("/staff/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ENTERPRISE_ADMIN)
def edit_staff(user_id: int):
    """Change a staff account's name, e-mail or role (own enterprise only, else 404)."""
    user = get_scoped_or_404(User, user_id)
    form = StaffForm(user=user)
    if form.validate_on_submit():
        operations.update_user(user, **form.values(), enterprise=user.enterprise)
        db.session.commit()
        flash(_("Account %(username)s saved.", username=user.username), "success")
        return redirect(url_for("enterprise.list_staff"))
    return render_template("enterprise/staff_form.html", form=form, user=user)


@bp.post("/staff/<int:user_id>/deactivate")
@roles_required(Role.ENTERPRISE_ADMIN)
def deactivate_staff(user_id: int):
    """Deactivate a staff account of the own enterprise; never one's own."""
    set_active_and_report(get_scoped_or_404(User, user_id), False)
    return redirect(url_for("enterprise.edit_staff", user_id=user_id))


@bp.post("/staff/<int:user_id>/reactivate")
@roles_required(Role.ENTERPRISE_ADMIN)
def reactivate_staff(user_id: int):
    """Let a deactivated staff account of the own enterprise sign in again."""
    set_active_and_report(get_scoped_or_404(User, user_id), True)
    return redirect(url_for("enterprise.edit_staff", user_id=user_id))


@bp.route("/staff/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(Role.ENTERPRISE_ADMIN)
def reset_staff_password(user_id: int):
    """Give a staff account of the own enterprise a temporary password."""
    return reset_password_page(get_scoped_or_404(User, user_id), "enterprise.edit_staff")
