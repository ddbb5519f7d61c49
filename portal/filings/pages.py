"""The filing page, shared by the normal view and the answer to a lost race (409)."""

from datetime import datetime
from typing import NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from .. import kept
from ..access import get_scoped_or_404
from ..extensions import db
from ..i18n import gettext as _
from ..labels import STATUS_LABELS
from ..models import BUREAU_ROLES, Filing, FilingKind, Role
from ..rules import workflow
from ..rules.workflow import Action, Side
from .kinds import KINDS

ENTERPRISE_ACTIONS = {Action.SUBMIT, Action.RESUBMIT, Action.WITHDRAW}


# How the filing page loads the filing: with its enterprise, which it names.
FILING_OPTIONS = (joinedload(Filing.enterprise),)


def detail_of(filing: Filing):
    """The kind-specific row of *filing*, with what its page shows of it."""
    info = KINDS[filing.kind]
    return db.session.get(info.model, filing.id, options=info.detail_options)


class FilingParts(NamedTuple):
    """What a filing's page shows that depends only on the filing and its surroundings, not
    on the request: rendered once and kept until anything changes (:func:`filing_parts`)."""

    notes: Markup  # the rule check and the last return's or rejection's reasons
    record: Markup  # details, documents and history
    ends_at: datetime | None  # a meeting's end, for the supervision panel


def filing_parts(filing: Filing) -> FilingParts:
    """The parts of *filing*'s page that need its detail row, documents, rule check and
    history (four to five statements and most of the rendering), kept by the process per
    user, language, filing version and endpoint until anything is recorded in the audit
    log, and a minute at most (``kept.until_changed``; the version also moves with changes
    of the filing row made outside the portal through the ORM)."""
    key = (filing.id, filing.version, request.endpoint)
    return kept.until_changed("filing_page", key, lambda: _render_parts(filing))


def _render_parts(filing: Filing) -> FilingParts:
    info = KINDS[filing.kind]
    detail = detail_of(filing)
    values = {"filing": filing, "detail": detail, "info": info,
              "problems": info.problems(detail), "documents": info.documents(detail)}
    return FilingParts(
        notes=Markup(render_template("filings/_notes.html", **values)),  # noqa: S704  (rendered templates)
        record=Markup(render_template("filings/_record.html", **values)),  # noqa: S704
        ends_at=getattr(detail, "ends_at", None),
    )


def filing_page(filing: Filing, status_code: int = 200, **drafts):
    """Render one filing for the current user with the actions open to them.

    *drafts* hold what the user typed into a form on the page that was refused
    (``decision_draft``, ``flag_draft``), so it is shown again rather than lost. The forms,
    flags and supervision panel are rendered for every request; the rest comes from
    :func:`filing_parts`.
    """
    info = KINDS[filing.kind]
    parts = filing_parts(filing)
    is_enterprise = current_user.role.is_enterprise
    actions = []
    if is_enterprise:
        actions = [a for a in workflow.actions_for(filing.status, Side.ENTERPRISE)
                   if a in ENTERPRISE_ACTIONS]
    decisions, review_reasons, flags = [], [], []
    if current_user.role in BUREAU_ROLES:
        # The review package builds on this one.
        from ..review.flags import flags_of
        from ..review.reasons import offered_reasons

        flags = flags_of(filing, current_user)
        if current_user.role is Role.REGULATOR:
            decisions = workflow.actions_for(filing.status, Side.BUREAU)
            review_reasons = offered_reasons(filing.kind) if decisions else []
    supervision_panel = None
    if filing.kind is FilingKind.MEETING and current_user.role.is_bureau:
        from ..supervision.panel import panel_for  # supervision builds on the filing pages

        supervision_panel = panel_for(filing, parts.ends_at)
    page = render_template(
        "filings/show.html",
        supervision_panel=supervision_panel,
        filing=filing,
        parts=parts,
        info=info,
        actions=actions,
        decisions=decisions,
        review_reasons=review_reasons,
        flags=flags,
        can_edit=is_enterprise and filing.status in workflow.CHANGEABLE,
        decision_draft=drafts.get("decision_draft") or {},
        flag_draft=drafts.get("flag_draft") or {},
    )
    return page, status_code


def changeable_detail(filing_id: int, kind: FilingKind):
    """The detail row of filing *filing_id* for its edit form, if the user may change it now.

    Otherwise the request ends with a redirect to the filing's page (another kind: its own
    page; a final or pending status: with a message).

    :raise 404: no such filing in the user's scope.
    """
    filing = get_scoped_or_404(Filing, filing_id)
    page = redirect(url_for("filings.show", filing_id=filing_id))
    if filing.kind is not kind:
        abort(page)
    if filing.status not in workflow.CHANGEABLE:
        flash(_("This filing can no longer be changed."), "error")
        abort(page)
    return db.session.get(KINDS[kind].model, filing_id)


def conflict(filing_id: int):
    """Tell the user another change came first, and show the filing as it is now (409).

    Call after rolling back, so the filing is read fresh.
    """
    filing = get_scoped_or_404(Filing, filing_id, options=FILING_OPTIONS)
    flash(
        _("This filing was changed after you opened it (by a colleague or in another window); "
          "it is now: %(status)s. Nothing was saved.", status=STATUS_LABELS[filing.status]),
        "error",
    )
    return filing_page(filing, 409)
