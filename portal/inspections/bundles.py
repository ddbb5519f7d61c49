"""A plan's checklists for all its checks as one PDF, made on the task queue.

A regulator asks for it on the plan page (POST .../checklists); the request only records a
:class:`ChecklistBundle` and queues the task ``inspections.checklist_bundle``. The worker
renders the checklists one by one (each exactly as its own checklist.pdf), appends their pages
to one PDF and stores it in the document store (never under static/). While it runs the bundle
page shows "n of N" and reloads itself every few seconds (a meta refresh: no script); when it
is done, the download link appears.

A bundle records the *fingerprint* of what its checklists are made of: the plan's version and
items and each check's number, target and inspectors. Asking again while a bundle is queued or
running shows that one; asking again when a finished bundle still matches the plan serves it
without rendering anything; otherwise (a re-draw changed an inspector, say) a new one is made.
"""

import hashlib
import json
import logging
from io import BytesIO

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit, tasks
from ..access import get_scoped_or_404, roles_required
from ..extensions import db
from ..i18n import LANGUAGES, current_language
from ..models import (
    BundleStatus,
    Check,
    ChecklistBundle,
    CheckPlan,
    PlanStatus,
    Role,
    utcnow,
)
from ..pdf import render_pdf
from ..storage import PDF_ONLY, get_store
from . import checklist
from .views import bp

log = logging.getLogger(__name__)
TASK = "inspections.checklist_bundle"
# Progress is written to the database after every this many checklists.
PROGRESS_EVERY = 5


def _checks(plan: CheckPlan) -> list[Check]:
    return list(db.session.scalars(
        select(Check).where(Check.plan_id == plan.id)
        .options(selectinload(Check.inspectors)).order_by(Check.position)
    ))


def fingerprint(plan: CheckPlan, checks: list[Check] | None = None) -> str:
    """The SHA-256 of what the plan's checklists are made of (not of their rendering)."""
    checks = _checks(plan) if checks is None else checks
    facts = {
        "plan": [plan.id, plan.version, plan.name, str(plan.window_start),
                 str(plan.window_end)],
        "items": [[i.id, i.text_zh, i.text_en, i.basis] for i in plan.items],
        "checks": [[c.id, c.number, c.enterprise_id, c.outlet_filing_id,
                    sorted(u.id for u in c.inspectors)] for c in checks],
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def latest(plan: CheckPlan, locale: str) -> ChecklistBundle | None:
    return db.session.scalar(
        select(ChecklistBundle).where(ChecklistBundle.plan_id == plan.id,
                                      ChecklistBundle.locale == locale)
        .order_by(ChecklistBundle.id.desc()).limit(1))


def is_current(bundle: ChecklistBundle | None, plan: CheckPlan, checks=None) -> bool:
    """Whether *bundle* is finished, stored and still matches the plan (*checks*: the plan's
    checks when the caller has them loaded already)."""
    return (bundle is not None and bundle.status is BundleStatus.DONE
            and bundle.fingerprint == fingerprint(plan, checks)
            and get_store().exists(bundle.document_sha256))


def request_bundle(plan: CheckPlan, locale: str, user, base_url: str) -> tuple:
    """The bundle to show for *plan* in *locale*, and whether a new one must be queued.

    The caller commits, then queues the task when told to (so the worker finds the row).
    """
    bundle = latest(plan, locale)
    if bundle is not None and bundle.status in (BundleStatus.QUEUED, BundleStatus.RUNNING):
        return bundle, False
    checks = _checks(plan)
    if is_current(bundle, plan, checks):
        return bundle, False
    bundle = ChecklistBundle(plan=plan, locale=locale, total=len(checks),
                             fingerprint=fingerprint(plan, checks), base_url=base_url,
                             requested_by=user)
    db.session.add(bundle)
    db.session.flush()
    audit.record("checklist_bundle.requested", bundle, actor=user, plan=plan.id,
                 locale=locale, checks=len(checks))
    return bundle, True


@tasks.background(TASK)
def build(bundle_id: int) -> None:
    """Render every checklist of the bundle's plan into one PDF (the worker runs this)."""
    bundle = db.session.get(ChecklistBundle, bundle_id)
    if bundle is None or bundle.status is not BundleStatus.QUEUED:
        return  # already taken by another worker, or gone
    bundle.status = BundleStatus.RUNNING
    bundle.done = 0
    db.session.commit()
    try:
        writer = PdfWriter()
        with force_locale(LANGUAGES[bundle.locale]):
            checks = _checks(bundle.plan)
            bundle.total = len(checks)
            for n, check in enumerate(checks, start=1):
                context = checklist.context(check, base_url=bundle.base_url)
                writer.append(PdfReader(BytesIO(render_pdf("pdf/checklist.html", **context))))
                if n % PROGRESS_EVERY == 0 or n == len(checks):
                    bundle.done = n
                    db.session.commit()
        writer.add_metadata({"/Title": f"{bundle.plan.name} · checklists"})
        out = BytesIO()
        writer.write(out)
        out.seek(0)
        stored = get_store().save(out, f"plan-{bundle.plan_id}-checklists.pdf", allowed=PDF_ONLY)
        bundle.document_sha256 = stored.sha256
        bundle.size = stored.size
        bundle.status = BundleStatus.DONE
        bundle.finished_at = utcnow()
        audit.record("checklist_bundle.done", bundle, actor=bundle.requested_by,
                     checks=bundle.total, sha256=stored.sha256)
        db.session.commit()
    except Exception:
        log.exception("checklist bundle %s failed", bundle_id)
        db.session.rollback()
        bundle = db.session.get(ChecklistBundle, bundle_id)
        bundle.status = BundleStatus.FAILED
        bundle.finished_at = utcnow()
        audit.record("checklist_bundle.failed", bundle, actor=bundle.requested_by)
        db.session.commit()


def _drawn_plan(plan_id: int) -> CheckPlan:
    plan = get_scoped_or_404(CheckPlan, plan_id)
    if plan.status is not PlanStatus.DRAWN:
        abort(404)  # a plan has checks only once drawn
    return plan


def _locale(value: str | None) -> str:
    """``zh`` or ``en``: as asked, else the language of the page."""
    return value if value in LANGUAGES else current_language()


@bp.post("/plans/<int:plan_id>/checklists")
@roles_required(Role.REGULATOR)
def request_checklists(plan_id: int):
    """Ask for the plan's checklists as one PDF (made in the background)."""
    plan = _drawn_plan(plan_id)
    locale = _locale(request.form.get("locale"))
    base = (current_app.config.get("PORTAL_BASE_URL") or request.url_root).rstrip("/")
    bundle, queue_it = request_bundle(plan, locale, current_user, base)
    bundle_id, plan_id = bundle.id, plan.id
    db.session.commit()
    if queue_it:  # after the commit, so the worker finds the bundle
        tasks.enqueue(TASK, bundle_id)
    return redirect(url_for("inspections.checklists", plan_id=plan_id, locale=locale))


@bp.get("/plans/<int:plan_id>/checklists")
@roles_required(Role.REGULATOR)
def checklists(plan_id: int):
    """The combined checklists: progress while they are made, then the download."""
    plan = _drawn_plan(plan_id)
    locale = _locale(request.args.get("locale"))
    bundle = latest(plan, locale)
    current = is_current(bundle, plan)
    working = bundle is not None and bundle.status in (BundleStatus.QUEUED,
                                                       BundleStatus.RUNNING)
    return render_template("inspections/checklists.html", plan=plan, bundle=bundle,
                           locale=locale, current=current, working=working)


@bp.get("/plans/<int:plan_id>/checklists/<int:bundle_id>.pdf")
@roles_required(Role.REGULATOR)
def checklists_pdf(plan_id: int, bundle_id: int):
    """Download a finished combined checklist PDF of the plan."""
    plan = _drawn_plan(plan_id)
    bundle = db.session.get(ChecklistBundle, bundle_id)
    if (bundle is None or bundle.plan_id != plan.id or bundle.status is not BundleStatus.DONE
            or not get_store().exists(bundle.document_sha256)):
        abort(404)
    return send_file(get_store().open(bundle.document_sha256), mimetype="application/pdf",
                     as_attachment=True, download_name=f"plan-{plan.id}-checklists.pdf",
                     max_age=0)

