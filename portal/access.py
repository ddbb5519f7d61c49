"""Who may enter, and which rows they may see. Every list and object lookup goes through here.

* :func:`roles_required` guards a view by role (401 -> sign-in page, 403 otherwise).
* :func:`scoped` narrows a ``select()`` to the rows the user may see.
* :func:`get_scoped_or_404` loads one row the same way; rows outside the scope are 404,
  so guessing ids reveals nothing.
"""

from collections import OrderedDict
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, and_, exists, false, or_, select, true
from werkzeug.local import LocalProxy

from .extensions import db, login_manager
from .models import (
    Bureau,
    Check,
    CheckItem,
    CheckPlan,
    ClaimPhrase,
    Enterprise,
    EnterpriseRegion,
    Filing,
    FilingRegionTally,
    FilingTally,
    LegalProvision,
    Meeting,
    Notice,
    Notification,
    Recusal,
    ReviewReason,
    Role,
    Supervision,
    Trainer,
    User,
    supervision_staff,
)
from .rules.regions import ancestors, code_range
from .rules.workflow import Status


def roles_required(*roles: Role):
    """Decorator: the signed-in user must have one of *roles*.

    :raise 403: signed in with another role.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user._get_current_object()
            if not user.is_authenticated:
                return login_manager.unauthorized()
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def _jurisdiction(user) -> str:
    return user.bureau.jurisdiction_prefix


def _enterprise_scope(user):
    if user.role is Role.ADMIN:
        return true()
    if user.role.is_enterprise:
        return Enterprise.id == user.enterprise_id
    if user.role.is_bureau:
        prefix = _jurisdiction(user)
        approved_here = exists().where(
            EnterpriseRegion.enterprise_id == Enterprise.id,
            or_(
                EnterpriseRegion.region_code.like(prefix + "%"),
                EnterpriseRegion.region_code.in_(ancestors(prefix)),
            ),
        )
        return or_(Enterprise.region_code.like(prefix + "%"), approved_here)
    return false()


def _user_scope(user):
    if user.role is Role.ADMIN:
        return true()
    if user.role is Role.ENTERPRISE_ADMIN:
        return User.enterprise_id == user.enterprise_id
    if user.role is Role.REGULATOR:
        return User.bureau_id == user.bureau_id
    return User.id == user.id


def _bureau_scope(user):
    if user.role is Role.ADMIN:
        return true()
    if user.role.is_bureau:
        return Bureau.id == user.bureau_id
    return false()


def _filing_scope_of(model):
    """The scope of filings, on *model*'s columns: Filing, or FilingTally and FilingRegionTally
    (their counts; the latter, without enterprises, is nothing to an enterprise user)."""

    def scope(user):
        if user.role is Role.ADMIN:
            return true()
        if user.role.is_enterprise:
            if not hasattr(model, "enterprise_id"):
                return false()
            return model.enterprise_id == user.enterprise_id
        if user.role.is_bureau:
            # Drafts belong to the enterprise until it submits them.
            in_area = model.region_code.between(*code_range(_jurisdiction(user)))
            return and_(in_area, model.status != Status.DRAFT)
        return false()

    return scope


_filing_scope = _filing_scope_of(Filing)


def _detail_scope(model):
    """The scope of a filing's detail rows (Meeting, Trainer): seen as their filing is; for
    an enterprise on the row's own copy of the enterprise, so its lists walk an index of its
    meetings or trainers alone."""

    def scope(user):
        if user.role.is_enterprise:
            return model.enterprise_id == user.enterprise_id
        return model.filing_id.in_(select(Filing.id).where(_filing_scope(user)))

    return scope


def _supervision_scope(user):
    # Regulators see their bureau's supervisions of meetings still in the jurisdiction;
    # inspectors only those they are assigned to; enterprises never any.
    if user.role is Role.ADMIN:
        return true()
    if user.role is Role.REGULATOR:
        # A range rather than LIKE 'prefix%': SQLite prepares a statement with a LIKE
        # parameter again on every run (0.04 ms each time the meeting's page is shown).
        in_area = exists().where(
            Filing.id == Supervision.meeting_id,
            Filing.region_code.between(*code_range(_jurisdiction(user))),
        )
        return and_(Supervision.bureau_id == user.bureau_id, in_area)
    if user.role is Role.INSPECTOR:
        assigned = exists().where(
            supervision_staff.c.supervision_id == Supervision.id,
            supervision_staff.c.user_id == user.id,
        )
        return and_(Supervision.bureau_id == user.bureau_id, assigned)
    return false()


def _plan_scope(user):
    if user.role is Role.ADMIN:
        return true()
    if user.role.is_bureau:
        return CheckPlan.bureau_id == user.bureau_id
    return false()


def _check_scope(user):
    """Regulators see their bureau's checks; inspectors only those assigned to them."""
    if user.role is Role.ADMIN:
        return true()
    if user.role is Role.REGULATOR:
        return Check.plan_id.in_(select(CheckPlan.id).where(CheckPlan.bureau_id == user.bureau_id))
    if user.role is Role.INSPECTOR:
        return Check.inspectors.any(User.id == user.id)
    return false()


def _recusal_scope(user):
    """Inspectors see their own recusals, regulators their bureau's inspectors'."""
    if user.role is Role.ADMIN:
        return true()
    if user.role is Role.REGULATOR:
        return Recusal.inspector_id.in_(select(User.id).where(User.bureau_id == user.bureau_id))
    if user.role is Role.INSPECTOR:
        return Recusal.inspector_id == user.id
    return false()


def _catalogue_scope(user):
    # One catalogue for every bureau; the views' roles decide who may change it.
    return true()


def _notification_scope(user):
    # Everyone, administrators included, sees only their own notifications.
    return Notification.user_id == user.id


def _notice_scope(user):
    # The issuing bureau's regulators and the party's own staff; inspectors none.
    if user.role is Role.ADMIN:
        return true()
    if user.role is Role.REGULATOR:
        return Notice.bureau_id == user.bureau_id
    if user.role.is_enterprise:
        return Notice.enterprise_id == user.enterprise_id
    return false()


SCOPES = {
    Enterprise: _enterprise_scope,
    User: _user_scope,
    Bureau: _bureau_scope,
    Filing: _filing_scope,
    FilingTally: _filing_scope_of(FilingTally),
    FilingRegionTally: _filing_scope_of(FilingRegionTally),
    Meeting: _detail_scope(Meeting),
    Trainer: _detail_scope(Trainer),
    ReviewReason: _catalogue_scope,
    ClaimPhrase: _catalogue_scope,
    CheckPlan: _plan_scope,
    Check: _check_scope,
    Supervision: _supervision_scope,
    Recusal: _recusal_scope,
    CheckItem: _catalogue_scope,
    LegalProvision: _catalogue_scope,
    Notification: _notification_scope,
    Notice: _notice_scope,
}


# Scope clauses built, by model and what they depend on: building one took longer than
# running a simple query with it (clauses are immutable, so statements may share them).
_CLAUSES: dict = {}
_CLAUSES_KEPT = 4096


def viewer_key(user) -> tuple:
    """What every scope of *user* depends on: the user, the role, the organisation and the
    bureau's jurisdiction."""
    return (user.id, user.role, user.enterprise_id, user.bureau_id,
            user.bureau.jurisdiction_prefix if user.bureau_id is not None else None)


def scope_key(model, user) -> tuple:
    """What *user*'s scope of *model* depends on (every scope reads only these: the role, the
    ids, the bureau's jurisdiction): equal keys, equal clauses."""
    return (model, *viewer_key(user))


def scope_clause(model, user=None):
    """The WHERE clause limiting *model* to what *user* (default: current user) may see."""
    if user is None or isinstance(user, LocalProxy):  # current_user: look it up once
        user = current_user._get_current_object()
    if not user or not user.is_authenticated:
        return false()
    key = scope_key(model, user)
    clause = _CLAUSES.get(key)
    if clause is None:
        if len(_CLAUSES) >= _CLAUSES_KEPT:
            _CLAUSES.clear()
        clause = _CLAUSES[key] = SCOPES[model](user)
    return clause


def entity_of(stmt: Select):
    """The model a ``select()`` starts from (as ``column_descriptions[0]["entity"]`` says,
    which costs 0.1 ms: the ORM's plugin subject holds it at hand)."""
    subject = stmt._propagate_attrs.get("plugin_subject")
    if subject is not None and getattr(subject, "entity", None) is not None:
        return subject.entity
    return stmt.column_descriptions[0]["entity"]


def scoped(stmt: Select, user=None) -> Select:
    """Narrow *stmt* (a ``select()`` of one model) to the rows *user* may see."""
    return stmt.where(scope_clause(entity_of(stmt), user))


# Statements a process has built, by everything they were built from (a name, the scope,
# the filters …), the latest used last. Building a statement with joins or subqueries, and its
# cache key, can take longer than running it; statements are immutable and hold no data.
# Some take a few hundred KiB (the enterprise home's), so only the most recent are kept.
_BUILT: OrderedDict = OrderedDict()
_BUILT_KEPT = 512


def built_statement(key: tuple, build):
    """``build()``, kept under *key* (which must name everything the statement depends on;
    whatever changes between requests, such as the time, is a bound parameter)."""
    stmt = _BUILT.get(key)
    if stmt is None:
        stmt = _BUILT[key] = build()
        if len(_BUILT) > _BUILT_KEPT:
            _BUILT.popitem(last=False)
    _BUILT.move_to_end(key)
    return stmt


def built_per_scope(name: str, model, user, build):
    """``build(user)``, a statement that starts from ``scoped(select(model), user)``, built
    once per scope of *user* (:func:`built_statement`)."""
    if isinstance(user, LocalProxy):
        user = user._get_current_object()
    return built_statement((name, scope_key(model, user)), lambda: build(user))


def get_scoped_or_404(model, ident, user=None, options=()):
    """Load one *model* row by primary key inside the user's scope (with loader *options*).

    :raise 404: no such row, or the row lies outside the user's scope.
    """
    if isinstance(ident, int) and not -(2**63) <= ident < 2**63:
        abort(404)  # larger than any key a database holds (SQLite cannot even bind it)
    pk = model.__mapper__.primary_key[0]
    row = db.session.scalar(scoped(select(model).where(pk == ident).options(*options), user))
    if row is None:
        abort(404)
    return row


def own_enterprise() -> Enterprise:
    """The signed-in enterprise user's own enterprise: what ``get_scoped_or_404(Enterprise,
    current_user.enterprise_id)`` finds (an enterprise user's scope is their enterprise),
    without its statement: the enterprise was loaded with the user.

    :raise 404: the user is not an enterprise user.
    """
    user = current_user._get_current_object()
    enterprise = user.enterprise if user.role.is_enterprise else None
    if enterprise is None:
        abort(404)
    return enterprise
