"""Create, edit and version return and exchange policies. Each function flushes; views commit.

An approved policy is never changed in place: a change is a new filing (a new version), so the
approved one stays in force until its successor is approved and takes effect. Which version is
current is derived from the approved filings (:func:`current_policy`), never stored.
"""

from dataclasses import replace
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, func, select

from .. import audit
from ..access import built_per_scope, scope_clause
from ..extensions import db
from ..filings import operations as filings
from ..models import Filing, FilingKind, ReturnPolicy
from ..rules import workflow
from ..rules.policies import (
    Limits,
    TermRow,
    Terms,
    Version,
    VersionRole,
    check_policy,
    compare_terms,
    version_role,
    version_roles,
)
from ..rules.workflow import Action, Status
from .labels import PlaceList

filings.register_detail(FilingKind.RETURN_POLICY, ReturnPolicy)

FIELDS = ("title", "consumer_return_days", "seller_return_days", "requires_unopened",
          "refund_days", "return_places", "contact", "effective_on")


def local_today() -> date:
    """Today in the portal's time zone (China Standard Time)."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def local_date(moment: datetime) -> date:
    """The calendar day of *moment* in the portal's time zone."""
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def limits() -> Limits:
    """The DSR Art. 25 numbers as this deployment configures them."""
    config = current_app.config
    return Limits(
        min_consumer_return_days=int(config["POLICY_MIN_RETURN_DAYS"]),
        min_seller_return_days=int(config["POLICY_MIN_SELLER_RETURN_DAYS"]),
        max_refund_days=int(config["POLICY_MAX_REFUND_DAYS"]),
    )


def terms_of(policy: ReturnPolicy) -> Terms:
    """The key terms of *policy* for the rule check."""
    return Terms(
        consumer_return_days=policy.consumer_return_days,
        seller_return_days=policy.seller_return_days,
        requires_unopened=policy.requires_unopened,
        refund_days=policy.refund_days,
        return_places=tuple(policy.return_places or ()),
        effective_on=policy.effective_on,
    )


def submission_date(filing: Filing) -> date | None:
    """The day the effective date is checked against: today while the enterprise may still
    submit, the day of submission while under review, none once decided."""
    if filing.status in workflow.EDITABLE:
        return local_today()
    if filing.status is Status.SUBMITTED and filing.submitted_at is not None:
        return local_date(filing.submitted_at)
    return None


def problems(policy: ReturnPolicy) -> list:
    """The rule findings for *policy* (DSR Art. 25, DISC Art. 5), ready to show."""
    found = check_policy(
        terms_of(policy),
        has_document=policy.document_id is not None,
        limits=limits(),
        submitted_on=submission_date(policy.filing),
    )
    # Place codes become names in the reader's language when the message is shown.
    return [replace(p, params={**p.params, "places": PlaceList(p.params["places"])})
            if "places" in p.params else p for p in found]


def create(enterprise, data: dict, document, actor) -> ReturnPolicy:
    """A new draft policy filing of *enterprise*, placed at its seat, with the fields in *data*."""
    filing = filings.create(FilingKind.RETURN_POLICY, enterprise, enterprise.region_code,
                            data["title"], actor)
    policy = ReturnPolicy(filing=filing, document=document, **{key: data[key] for key in FIELDS})
    db.session.add(policy)
    db.session.flush()
    return policy


def update(policy: ReturnPolicy, data: dict, document, actor, expected_version=None) -> None:
    """Change a draft or returned policy's fields (an approved one gets a new version instead).

    :raise filings.ConflictError: someone changed the filing since the form was loaded.
    :raise workflow.TransitionError: the policy is no longer editable.
    """
    filing = policy.filing
    if expected_version is not None and str(expected_version) != str(filing.version):
        raise filings.ConflictError(filing)
    if filing.status not in workflow.EDITABLE:
        raise workflow.TransitionError("not_allowed", filing.status, Action.AMEND)
    for key in FIELDS:
        setattr(policy, key, data[key])
    if document is not None:
        policy.document = document
    filing.title = policy.title
    filing.region_code = filing.enterprise.region_code
    db.session.flush()
    audit.record("filing.edited", filing, actor=actor, number=filing.number)


def _current_stmt(enterprise_id: int, on: date):
    return (
        select(ReturnPolicy)
        .join(Filing, Filing.id == ReturnPolicy.filing_id)
        .where(
            Filing.enterprise_id == enterprise_id,
            Filing.kind == FilingKind.RETURN_POLICY,
            Filing.status == Status.APPROVED,
            ReturnPolicy.effective_on <= on,
        )
        .order_by(ReturnPolicy.effective_on.desc(), Filing.decided_at.desc().nulls_last(),
                  Filing.id.desc())
        .limit(1)
    )


def current_policy(enterprise_id: int, on: date | None = None) -> ReturnPolicy | None:
    """The enterprise's policy in force on *on* (default: today), or None.

    That is its approved version with the latest effective date on or before *on*; ties go to
    the later decision. Approved versions effective later are scheduled, earlier ones are
    previous versions. Public information: not limited to a user's scope.
    """
    return db.session.scalar(_current_stmt(enterprise_id, on or local_today()))


# What the list of versions shows of each: ``id`` (the filing's), ``number``, ``title``,
# ``effective_on``, ``status`` and ``decided_at``.
VERSION_COLUMNS = (ReturnPolicy.filing_id.label("id"), Filing.number, ReturnPolicy.title,
                   ReturnPolicy.effective_on, Filing.status, Filing.decided_at)


def visible_versions(enterprise_id: int, user):
    """A select of the enterprise's policy versions that *user* may see, latest effective
    date first (see :func:`newest_first`), as rows of :data:`VERSION_COLUMNS`."""
    return (
        select(*VERSION_COLUMNS)
        .join(Filing, Filing.id == ReturnPolicy.filing_id)
        .where(scope_clause(Filing, user), Filing.enterprise_id == enterprise_id,
               Filing.kind == FilingKind.RETURN_POLICY)
        .order_by(ReturnPolicy.effective_on.desc(), Filing.id.desc())
    )


def newest_first(versions) -> list:
    """*versions* (rows of :func:`visible_versions`) in the order of that select."""
    return sorted(versions, key=lambda v: (v.effective_on, v.id), reverse=True)


def _version_page(user):
    """The statement of :func:`version_page` for *user* (built once per scope)."""
    in_force = (_current_stmt(user.enterprise_id, bindparam("today"))
                .with_only_columns(ReturnPolicy.filing_id).correlate(None).scalar_subquery())
    return (visible_versions(user.enterprise_id, user)
            .add_columns(func.count().over().label("total"), in_force.label("current_id"))
            .limit(bindparam("limit")).offset(bindparam("offset")))


def version_page(user, limit: int, offset: int, today: date) -> tuple[list, int]:
    """A page of :func:`visible_versions` of the enterprise of *user* (an enterprise user)
    and the number of them all, in one statement; each row also has ``current_id``, the
    filing id of the version in force on *today* (None without one). An empty page has
    neither: past the last page, or no versions at all (and then none in force: all the
    enterprise's versions are visible to its users)."""
    stmt = built_per_scope("policies.version_page", Filing, user, _version_page)
    rows = db.session.execute(stmt, {"today": today, "limit": limit, "offset": offset}).all()
    return rows, rows[0].total if rows else 0


@cache
def _current_version_stmt():
    return _current_stmt(bindparam("enterprise_id"), bindparam("on")).with_only_columns(
        *VERSION_COLUMNS)


def current_version(enterprise_id: int, on: date | None = None):
    """:func:`current_policy` as a row of :data:`VERSION_COLUMNS`, or None."""
    return db.session.execute(_current_version_stmt(), {
        "enterprise_id": enterprise_id, "on": on or local_today()}).first()


def roles_of_versions(versions, current_id: int | None, on: date | None = None) -> dict:
    """The role on *on* (default: today) of each of *versions* (rows of
    :data:`VERSION_COLUMNS`) by filing id, given the id of the version in force then: what
    :func:`roles_of` says of them, without reading the enterprise's other versions."""
    on = on or local_today()
    roles = {}
    for row in versions:
        role = version_role(Version(row.id, row.status is Status.APPROVED, row.effective_on,
                                    row.decided_at), current_id, on)
        if role is not None:
            roles[row.id] = role
    return roles


def roles_of(enterprise_id: int, on: date | None = None) -> dict[int, VersionRole]:
    """Current, previous or scheduled, by filing id, for each approved version of the
    enterprise (approved policies are public, so this is not limited to a user's scope)."""
    approved = db.session.execute(
        select(Filing.id, ReturnPolicy.effective_on, Filing.decided_at)
        .join(ReturnPolicy, ReturnPolicy.filing_id == Filing.id)
        .where(Filing.enterprise_id == enterprise_id, Filing.kind == FilingKind.RETURN_POLICY,
               Filing.status == Status.APPROVED)
    ).all()
    versions = [Version(filing_id, True, effective_on, decided_at)
                for filing_id, effective_on, decided_at in approved]
    return version_roles(versions, on or local_today())


def terms_for_comparison(policy: ReturnPolicy) -> dict:
    """The key terms of *policy* as plain values (the document by name and content hash)."""
    data = {key: getattr(policy, key) for key in FIELDS}
    document = policy.document
    data["document"] = (document.original_name, document.sha256) if document else None
    return data


def comparison(a: ReturnPolicy, b: ReturnPolicy) -> list[TermRow]:
    """Rows of the key terms of versions *a* and *b*, each marked changed or not."""
    return compare_terms(terms_for_comparison(a), terms_for_comparison(b))


def standing(policy: ReturnPolicy) -> dict:
    """Where *policy* stands among its enterprise's versions today, for the filing page:
    ``role`` (current, previous, scheduled or None) and ``current`` (the version in force)."""
    enterprise_id = policy.filing.enterprise_id
    return {"role": roles_of(enterprise_id).get(policy.filing_id),
            "current": current_policy(enterprise_id)}
