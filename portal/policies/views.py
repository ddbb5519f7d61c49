"""Return and exchange policies: file and correct versions (enterprise staff), list them, and
compare the key terms of two versions (the enterprise, and bureaus for their jurisdiction)."""

from dataclasses import dataclass
from datetime import date
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, own_enterprise, roles_required
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.pages import conflict
from ..filings.uploads import keep_upload
from ..i18n import date_formatter, datetime_formatter
from ..i18n import gettext as _
from ..labels import STATUS_LABELS
from ..models import ENTERPRISE_ROLES, Filing, FilingKind, ReturnPolicy, Role
from ..pagination import paginate_fetched
from ..rules import workflow
from ..rules.policies import VersionRole
from ..rules.workflow import Status
from ..storage import PDF_ONLY
from . import operations
from .forms import PolicyForm, blank, prefill_from
from .labels import RETURN_PLACE_LABELS, TERM_LABELS, VERSION_ROLE_LABELS, place_names

bp = Blueprint("policies", __name__)
# The comparison lives outside the enterprise area so that bureaus reach it too.
versions_bp = Blueprint("policy_versions", __name__)

ALL_ROLES = (*ENTERPRISE_ROLES, Role.REGULATOR, Role.INSPECTOR, Role.ADMIN)


@bp.record_once
def _template_globals(state) -> None:
    """Names the policy partials use on the shared filing page and the receipt."""
    state.app.jinja_env.globals.update(
        RETURN_PLACE_LABELS=RETURN_PLACE_LABELS,
        VERSION_ROLE_LABELS=VERSION_ROLE_LABELS,
        TERM_LABELS=TERM_LABELS,
        place_names=place_names,
        policy_standing=operations.standing,
    )


# Row ids are 32-bit integers; a larger number would overflow the database driver.
MAX_ID = 2**31 - 1


def _row_id(value) -> int | None:
    """*value* (a URL or form value) as a row id, or None when it cannot be one."""
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def _filing_or_404(filing_id) -> Filing:
    """A filing the current user may see.

    :raise 404: not an id, or no such filing in the user's scope.
    """
    ident = _row_id(filing_id)
    if ident is None:
        abort(404)
    return get_scoped_or_404(Filing, ident)


def _policy_or_404(filing_id) -> ReturnPolicy:
    """A policy filing the current user may see.

    :raise 404: not an id, not a policy, or outside the user's scope.
    """
    filing = _filing_or_404(filing_id)
    if filing.kind is not FilingKind.RETURN_POLICY:
        abort(404)
    return db.session.get(ReturnPolicy, filing.id)


def _save_form(form: PolicyForm, enterprise, policy):
    """Validate *form* with its upload; returns (document, is_valid)."""
    document, upload_error = keep_upload(
        form.policy_file, form.document_id, enterprise.id, current_user, allowed=PDF_ONLY
    )
    is_valid = form.validate() and upload_error is None
    if upload_error:
        form.policy_file.errors = [upload_error]
    if document is None and policy is not None:
        document = policy.document
    return document, is_valid


@dataclass
class VersionRow:
    """One version in the list and the comparison form, every text ready to print."""

    id: int
    number: str
    title: str
    effective_on: date | None
    effective: str  # the effective date, written out
    status: str
    status_label: str
    standing: str  # current, previous or scheduled version; "" for none
    decided: str
    choice: str  # as the comparison form offers it: number, effective date, status


def _version_rows(rows, roles: dict) -> list[VersionRow]:
    """Rows of :func:`operations.visible_versions` ready to print, with the labels and dates
    looked up once per page, not per row (per-row template calls were most of the time)."""
    statuses = {status: str(label) for status, label in STATUS_LABELS.items()}
    standings = {role: str(label) for role, label in VERSION_ROLE_LABELS.items()}
    day, when = date_formatter("long"), datetime_formatter("short")
    versions = []
    for row in rows:
        effective = day(row.effective_on) if row.effective_on is not None else "—"
        status = statuses[row.status]
        versions.append(VersionRow(
            id=row.id, number=row.number, title=row.title, effective_on=row.effective_on,
            effective=effective, status=row.status.value, status_label=status,
            standing=standings[roles[row.id]] if row.id in roles else "",
            decided=when(row.decided_at) if row.decided_at else "",
            choice=f"{row.number} · {effective} · {status}",
        ))
    return versions


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def list_versions():
    """The enterprise's policy versions with their effective dates, statuses and standing, a
    page at a time; the comparison form offers the page's versions and the current one."""
    # The enterprise of an enterprise user always exists (a check constraint and a foreign
    # key on the user), and the versions are read in the user's scope.
    today = operations.local_today()
    page = paginate_fetched(partial(operations.version_page, current_user, today=today))
    current_id = page.items[0].current_id if page.items else None
    versions = _version_rows(page.items,
                             operations.roles_of_versions(page.items, current_id, today))
    choices = versions
    current = next((v for v in versions if v.id == current_id), None)
    in_force = (operations.current_version(current_user.enterprise_id, today)
                if current is None and current_id is not None else None)
    if in_force is not None:  # on another page
        current = _version_rows([in_force], {in_force.id: VersionRole.CURRENT})[0]
        choices = operations.newest_first([*versions, current])
    return render_template("policies/list.html", versions=versions, page=page,
                           current=current, choices=choices,
                           pair=_default_pair(choices, current))


def _default_pair(versions, current) -> tuple[int, int] | None:
    """The two versions (their ids) the comparison form starts with: the current one and the
    latest other one (or the two latest, when none is current)."""
    if len(versions) < 2:
        return None
    if current is None:
        return versions[1].id, versions[0].id
    latest_other = next(v for v in versions if v.id != current.id)
    return ((current.id, latest_other.id) if latest_other is versions[0]
            else (latest_other.id, current.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """File a new policy version as a draft; ``?from=<filing id>`` starts from a version's terms."""
    enterprise = own_enterprise()
    base = _policy_or_404(request.args["from"]) if "from" in request.args else None
    form = PolicyForm(data=prefill_from(base) if base else blank())
    form.show_limits(operations.limits())
    document = None
    if form.is_submitted():
        document, is_valid = _save_form(form, enterprise, None)
        if is_valid:
            policy = operations.create(enterprise, form.data_for_model(), document, current_user)
            db.session.commit()
            flash(_("Policy saved as draft %(number)s.", number=policy.filing.number), "success")
            return redirect(url_for("filings.show", filing_id=policy.filing_id))
    return render_template("policies/form.html", form=form, document=document, policy=None,
                           base=base)


@bp.route("/<int:filing_id>/edit", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def edit(filing_id: int):
    """Correct a draft or returned policy; an approved one is changed by a new version."""
    filing = _filing_or_404(filing_id)
    if filing.kind is not FilingKind.RETURN_POLICY:
        return redirect(url_for("filings.show", filing_id=filing_id))
    if filing.status is Status.APPROVED:
        flash(_("An approved policy stays in force unchanged. Your changes become a new version, "
                "which replaces it once approved and in effect."), "info")
        return redirect(url_for("policies.new", **{"from": filing_id}))
    if filing.status not in workflow.EDITABLE:
        flash(_("This filing can no longer be changed."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    policy = db.session.get(ReturnPolicy, filing_id)
    form = PolicyForm(obj=policy, version=filing.version)
    form.show_limits(operations.limits())
    document = policy.document
    if form.is_submitted():
        document, is_valid = _save_form(form, filing.enterprise, policy)
        if is_valid:
            try:
                operations.update(policy, form.data_for_model(), document, current_user,
                                  expected_version=form.version.data)
                db.session.commit()
            except (filing_ops.ConflictError, StaleDataError, workflow.TransitionError):
                db.session.rollback()
                return conflict(filing_id)
            flash(_("Policy %(number)s saved.", number=filing.number), "success")
            return redirect(url_for("filings.show", filing_id=filing_id))
    return render_template("policies/form.html", form=form, document=document, policy=policy,
                           base=None)


@versions_bp.get("/compare")
@roles_required(*ALL_ROLES)
def compare():
    """The key terms of two versions side by side, changed terms marked.

    Enterprise users compare their own versions; bureau staff those in their jurisdiction.

    :raise 404: either filing is missing, not a policy, outside the user's scope, or the two
        belong to different enterprises.
    """
    a = _policy_or_404(request.args.get("a"))
    b = _policy_or_404(request.args.get("b"))
    if a.filing.enterprise_id != b.filing.enterprise_id:
        abort(404)
    rows = operations.comparison(a, b)
    return render_template("policies/compare.html", a=a, b=b, rows=rows,
                           roles=operations.roles_of(a.filing.enterprise_id))
