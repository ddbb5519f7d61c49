"""Regulator pages: the dashboard, the jurisdiction's enterprises, the review queue and
decisions, and the claims checker's phrase list (which administrators maintain as well)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_datetime, get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, kept
from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..filings.operations import ConflictError
from ..filings.pages import conflict, filing_page
from ..i18n import (
    datetime_formatter,
    format_number,
    html_text,
    timedelta_formatter,
    url_with_args,
)
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..labels import FLAG_LABELS, KIND_LABELS, STATUS_LABELS
from ..meetings import claims
from ..meetings.labels import CLAIM_CATEGORY_LABELS
from ..models import (
    ENTERPRISE_FACTS_OPTIONS,
    ClaimPhrase,
    Enterprise,
    Filing,
    FilingFlag,
    Role,
    utcnow,
)
from ..pagination import paginate
from ..rules.workflow import Action, TransitionError
from . import dashboard, dashboard_charts, export, flags, operations, queue, reasons
from .forms import ClaimPhraseForm, duplicate_message

bp = Blueprint("review", __name__)
bp.add_app_template_global(reasons.decision_reasons, "decision_reasons")


@bp.get("/")
@roles_required(Role.REGULATOR)
def home():
    """Regulator home, the bureau dashboard: the jurisdiction, its enterprises, filings by
    status and kind, the oldest undecided filings, the decisions of the last weeks and the
    charts of the last twelve months."""
    return render_template("review/home.html", bureau=current_user.bureau,
                           dashboard_body=dashboard_body())


def dashboard_body() -> Markup:
    """The dashboard's content, kept by the process per user, language and day until anything
    changes, and a minute at most (the ages of the oldest filings move on). The statistics
    inside are kept longer by themselves (dashboard_charts.statistics) and are part of the
    key: when they are counted again, the content is rendered again with them."""
    user = current_user._get_current_object()
    today = dashboard.today_in_china()
    statistics = dashboard_charts.statistics(user, today)
    return kept.until_changed("dashboard", (today, statistics), lambda: Markup(  # noqa: S704  (a rendered template)
        _render_dashboard_body(user, today, statistics)))


def _render_dashboard_body(user, today, statistics) -> str:
    count = db.session.scalar(
        scoped(select(Enterprise), user).with_only_columns(func.count(Enterprise.id)))
    return render_template(
        "review/_home_body.html", bureau=user.bureau, enterprise_count=count, today=today,
        matrix=dashboard.status_kind_matrix(user), statuses=dashboard.STATUSES,
        kinds=dashboard.KINDS, oldest=dashboard.oldest_undecided(user),
        age=dashboard.age, statistics=statistics,
    )


@bp.get("/enterprises")
@roles_required(Role.REGULATOR)
def list_enterprises():
    """Enterprises selling or seated in the jurisdiction, searchable by name or codes."""
    stmt = scoped(select(Enterprise), current_user).order_by(Enterprise.name, Enterprise.id)
    query = request.args.get("q", "").strip()[:100]  # as the queue's search
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
    enterprise = get_scoped_or_404(Enterprise, enterprise_id, options=ENTERPRISE_FACTS_OPTIONS)
    return render_template("review/enterprise.html", enterprise=enterprise)


# One row of the queue's table. The queue is the portal's busiest page, and a Jinja loop over
# its 50 rows (a dozen escaped expressions and lookups per row, plus a row object to feed it)
# cost about a fifth of the page's time; one f-string per row costs a fraction of that, and
# escaping into plain strings (i18n.html_text) a tenth of what Markup objects cost. Every value
# is escaped before it goes in (ids go in as integers); the rows together are markup.
BADGE = ' <span class="badge {}">{}</span>'


def queue_rows(result: queue.Queue, show_url: str, by_enterprise_url: str) -> Markup:
    """The table rows of the queue page: labels and the date format looked up once per page,
    each row written in one go."""
    kinds = {kind: html_text(label) for kind, label in KIND_LABELS.items()}
    statuses = {status: (status.value, html_text(label))
                for status, label in STATUS_LABELS.items()}
    flagged = BADGE.format("text-bg-danger", html_text(_("Flagged")))
    when = datetime_formatter("short")
    duration = timedelta_formatter(threshold=1.0)
    show, by_enterprise = html_text(show_url), html_text(by_enterprise_url)
    names = queue.enterprise_names({row.enterprise_id for row in result.page.items})
    now = utcnow()
    rows = []
    for (filing_id, number, kind, title, status, submitted_at, enterprise_id, warning_count,
         starts_at, has_open_flag) in result.page.items:  # queue.PAGE_FIELDS
        badges = ""
        if warning_count:
            badges += BADGE.format("text-bg-warning", html_text(_(
                "Rule warnings: %(n)s", n=warning_count)))
        if has_open_flag:
            badges += flagged
        left = queue.time_left(status, starts_at, now)
        if left is not None:
            badges += BADGE.format("text-bg-danger soon", html_text(_(
                "Starts in %(left)s", left=duration(left))))
        status_value, status_label = statuses[status]
        submitted = html_text(when(submitted_at)) if submitted_at else ""
        rows.append(
            f'<tr><td class="text-nowrap"><a href="{show}{int(filing_id)}">{html_text(number)}'
            f'</a></td><td class="text-nowrap">{kinds[kind]}</td>'
            f'<td>{html_text(title)}{badges}</td><td><a href="{by_enterprise}'
            f'{int(enterprise_id)}">{html_text(names[enterprise_id])}</a></td>'
            f'<td><span class="badge status-{status_value}">{status_label}</span></td>'
            f'<td class="text-nowrap">{submitted}</td></tr>')
    return Markup("\n".join(rows))  # noqa: S704  (every value escaped above)


def queue_tabs(filters: queue.Filters, result: queue.Queue) -> Markup:
    """The queue's tabs: a link per status and one for all of them, each with its count
    ("1,000+" beyond the cap, or for a sum of capped counts), the current one marked; written as
    the rows are (Jinja's loop and macro calls cost a tenth of the page)."""

    def count(n: int, more: bool = False) -> str:
        if more or (result.cap is not None and n > result.cap):
            return html_text(_("%(count)s+", count=format_number(
                n if more else result.cap)))
        return html_text(format_number(n))

    def tab(status: str, label: str, n: str) -> str:
        href = html_text(url_with_args(status=status, after=None, before=None))
        if filters.status == status:
            return (f'<li class="nav-item"><a class="nav-link active" href="{href}" '
                    f'aria-current="page">{label} <span class="badge text-bg-light">{n}'
                    '</span></a></li>')
        return (f'<li class="nav-item"><a class="nav-link" href="{href}">{label} '
                f'<span class="badge text-bg-light">{n}</span></a></li>')

    tabs = [tab(status.value, html_text(label), count(result.counts.get(status, 0)))
            for status, label in STATUS_LABELS.items() if status in queue.SHOWN]
    tabs.append(tab(queue.ALL, html_text(_("All statuses")),
                    count(result.total, result.total_is_capped)))
    label = html_text(_("Counts per status"))  # (outside the f-string: Babel extracts it)
    return Markup(  # noqa: S704  (every value escaped above)
        f'<ul class="nav nav-pills mb-3" aria-label="{label}">' + "".join(tabs) + "</ul>")


@bp.get("/queue")
@roles_required(Role.REGULATOR)
def review_queue():
    """Every kind of filing in the jurisdiction: filters, counts per status, oldest first."""
    return render_template("review/queue.html", queue_list=queue_list())


def queue_list() -> Markup:
    """The queue's tabs, filters and list for the query string, kept by the process until
    anything changes (or a minute has passed: the time left before meetings moves on), per
    user, query string and language: a regulator going back to the queue, paging through it
    or reloading it while nothing has been decided or filed sees the same list, without its
    statements and rendering (portal.kept.until_changed)."""
    user = current_user._get_current_object()
    # The query string as sent: the filters read the first of repeated arguments, and the
    # links keep the arguments in their order.
    return kept.until_changed("review_queue", request.query_string,
                              lambda: Markup(_render_queue_list(user)))  # noqa: S704  (a rendered template)


def _render_queue_list(user) -> str:
    filters = queue.Filters.from_args(request.args)
    result = queue.build(filters, user, current_app.config["PAGE_SIZE"],
                         after=request.args.get("after"), before=request.args.get("before"))
    enterprise = None
    if filters.enterprise is not None:
        enterprise = db.session.scalar(scoped(
            select(Enterprise).where(Enterprise.id == filters.enterprise), user))
    # Jinja's own render, not Flask's render_template: the template takes everything it uses
    # as arguments or from the environment's globals (_, url_for, url_with_args), so the
    # context processors every page's layout needs (current_user, csrf_token, the labels of
    # half a dozen areas) would be built for nothing on each rendered list.
    return current_app.jinja_env.get_template("review/_queue_list.html").render(
        filters=filters, result=result, enterprise=enterprise,
        filter_form=queue_filter_form(filters, user, enterprise), queue_rows=queue_rows,
        queue_tabs=queue_tabs,
        export_args=queue.filter_args(request.args),
    )


def queue_filter_form(filters: queue.Filters, user, enterprise: Enterprise | None) -> Markup:
    """The queue's filter form for *filters*: the same for everyone of a jurisdiction and
    language, so each process keeps it as long as the divisions it lists
    (queue.REGION_CHOICES_SECONDS), whatever is filed or decided meanwhile."""
    enterprise_id = enterprise.id if enterprise is not None else None
    prefix = user.bureau.jurisdiction_prefix
    return kept.kept(
        "queue_filter_form", (prefix, str(get_locale()), filters.key, enterprise_id),
        queue.REGION_CHOICES_SECONDS,
        lambda: Markup(render_template(  # noqa: S704  (a rendered template)
            "review/_queue_filters.html", filters=filters, enterprise_id=enterprise_id,
            regions=queue.region_choices(user))))


@bp.get("/queue/export.<fmt>")
@roles_required(Role.REGULATOR)
def export_queue(fmt: str):
    """The filtered queue, every page of it, as CSV or XLSX (the export is audited)."""
    if fmt not in {"csv", "xlsx"}:
        abort(404)
    filters = queue.Filters.from_args(request.args)
    total = export.count(filters, current_user)
    limit = current_app.config["EXPORT_MAX_ROWS"]
    if total > limit:
        flash(_("%(count)s filings match; an export holds at most %(limit)s. Narrow the filters.",
                count=format_number(total), limit=format_number(limit)), "error")
        return redirect(url_for("review.review_queue", **queue.filter_args(request.args)))
    audit.record("queue.exported", actor=current_user, format=fmt, rows=total,
                 filters=queue.filter_args(request.args))
    db.session.commit()
    stamp = format_datetime(utcnow(), "yyyyMMdd-HHmm")
    name = f"review-queue-{stamp}.{fmt}"
    if fmt == "csv":
        response = current_app.response_class(
            stream_with_context(export.csv_chunks(filters, current_user)),
            mimetype="text/csv",
        )
    else:
        response = current_app.response_class(
            export.xlsx_bytes(filters, current_user),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/filings/<int:filing_id>/<action>")
@roles_required(Role.REGULATOR)
def decide(filing_id: int, action: str):
    """Approve, return or reject a filing in the jurisdiction; 409 if it changed meanwhile."""
    filing = get_scoped_or_404(Filing, filing_id)
    if action not in {a.value for a in operations.DECISIONS}:
        abort(404)
    action = Action(action)
    version = request.form.get("version", "")
    draft = {"reasons": request.form.getlist("reasons"), "comment": request.form.get("comment", "")}
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
        problem = _("Choose the reasons from the list.")
        flash(problem, "error")
        return filing_page(get_scoped_or_404(Filing, filing_id), 400,
                           decision_draft={**draft, "reasons_error": problem})
    except TransitionError as error:
        db.session.rollback()
        if error.code == "reasons_required":
            problem = _("Choose at least one reason.")
            flash(problem, "error")  # and beside the reasons (the form is far down the page)
            return filing_page(get_scoped_or_404(Filing, filing_id), 400,
                               decision_draft={**draft, "reasons_error": problem})
        flash(_("This action is not possible in the filing's current state."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    flash(_("%(number)s: %(status)s.", number=filing.number, status=STATUS_LABELS[filing.status]),
          "success")
    return redirect(url_for("filings.show", filing_id=filing_id))


FLAG_ERRORS = {
    "note_required": _l("Describe the concern in the note."),
    "note_too_long": _l("The note is too long (at most 2,000 characters)."),
    "category_unknown": _l("Choose what the concern is from the list."),
    "already_flagged": _l("This filing already has an open flag of this kind."),
    "already_cleared": _l("This flag was already cleared."),
}


@bp.post("/filings/<int:filing_id>/flags")
@roles_required(Role.REGULATOR)
def raise_flag(filing_id: int):
    """Flag a filing in the jurisdiction with a concern; bureau staff see it, the enterprise not."""
    filing = get_scoped_or_404(Filing, filing_id)
    draft = {"category": request.form.get("category", ""), "note": request.form.get("note", "")}
    try:
        category = flags.parse_category(draft["category"])
        flags.raise_flag(filing, category, draft["note"], current_user)
        db.session.commit()
    except flags.FlagError as error:
        db.session.rollback()
        flash(FLAG_ERRORS[error.code], "error")
        return filing_page(get_scoped_or_404(Filing, filing_id), 400, flag_draft=draft)
    flash(_("Flag raised: %(category)s.", category=FLAG_LABELS[category]), "success")
    return redirect(url_for("filings.show", filing_id=filing_id, _anchor="flags-heading"))


@bp.post("/flags/<int:flag_id>/clear")
@roles_required(Role.REGULATOR)
def clear_flag(flag_id: int):
    """Clear a flag on a filing in the jurisdiction, with a note on what was found."""
    if not flag_id < 2**63:
        abort(404)
    flag = db.session.get(FilingFlag, flag_id)
    if flag is None:
        abort(404)
    filing = get_scoped_or_404(Filing, flag.filing_id)
    try:
        flags.clear_flag(flag, request.form.get("note"), current_user)
        db.session.commit()
    except flags.FlagError as error:
        db.session.rollback()
        flash(FLAG_ERRORS[error.code], "error")
        draft = {"clear": flag_id, "clear_note": request.form.get("note", "")}
        return filing_page(get_scoped_or_404(Filing, filing.id), 400, flag_draft=draft)
    flash(_("Flag cleared."), "success")
    return redirect(url_for("filings.show", filing_id=filing.id, _anchor="flags-heading"))


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
