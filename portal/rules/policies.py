"""Return and exchange policy rules (退换货制度; DSR Art. 25, DISC Art. 5) and versions.

Article 25 of the Direct Selling Regulation: consumers may return unopened products within
30 days of purchase at the enterprise, a branch, a service outlet or the direct seller who sold
them (paragraph 1); direct sellers may do the same within 30 days at the enterprise, a branch or
an outlet (paragraph 2); refund or exchange follows within 7 days of the request (both). The
numbers are settings (:class:`Limits`), so a bureau can follow a local rule.

Versions: an enterprise's *current* policy is its approved version with the latest effective
date on or before the day asked about (ties: the later decision, then the later filing).
Nothing else is stored about it, so there is one source of truth.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime

from .problems import Problem, Severity


class ReturnPlace(enum.StrEnum):
    """Where a consumer may hand a product back."""

    ENTERPRISE = "enterprise"
    BRANCH = "branch"
    OUTLET = "outlet"
    SELLER = "seller"  # the direct seller who sold the product


# DSR Art. 25(1) names all four; a policy must offer every one of them.
REQUIRED_PLACES = tuple(ReturnPlace)


@dataclass(frozen=True)
class Limits:
    """The numbers of DSR Art. 25, as configured (POLICY_* settings)."""

    min_consumer_return_days: int = 30
    min_seller_return_days: int = 30
    max_refund_days: int = 7


@dataclass(frozen=True)
class Terms:
    """The key terms of a policy, as entered beside its document."""

    consumer_return_days: int
    seller_return_days: int
    requires_unopened: bool
    refund_days: int
    return_places: tuple[str, ...]
    effective_on: date


def check_policy(
    terms: Terms,
    *,
    has_document: bool,
    limits: Limits = Limits(),  # noqa: B008  (frozen, so one shared default is safe)
    submitted_on: date | None = None,
) -> list[Problem]:
    """Problems of a policy with *terms*; errors block submission, warnings do not.

    *submitted_on* is the day the policy is (or was) submitted; without it the effective date
    is not checked. An effective date before submission is a warning, not an error: the
    enterprise must always have a policy in force, and a late filing of a policy already
    applied is better reviewed than refused.
    """
    problems = []
    if not has_document:
        problems.append(Problem("policy_document_missing", "DSR-25", "document"))
    if terms.consumer_return_days < limits.min_consumer_return_days:
        problems.append(Problem(
            "policy_consumer_window_short", "DSR-25-1", "consumer_return_days",
            params={"days": terms.consumer_return_days, "min": limits.min_consumer_return_days},
        ))
    if terms.seller_return_days < limits.min_seller_return_days:
        problems.append(Problem(
            "policy_seller_window_short", "DSR-25-2", "seller_return_days",
            params={"days": terms.seller_return_days, "min": limits.min_seller_return_days},
        ))
    if terms.refund_days > limits.max_refund_days:
        problems.append(Problem(
            "policy_refund_too_slow", "DSR-25-1", "refund_days",
            params={"days": terms.refund_days, "max": limits.max_refund_days},
        ))
    missing = tuple(p.value for p in REQUIRED_PLACES if p.value not in set(terms.return_places))
    if missing:
        problems.append(Problem("policy_return_places_missing", "DSR-25-1", "return_places",
                                params={"places": missing}))
    if submitted_on is not None and terms.effective_on < submitted_on:
        problems.append(Problem(
            "policy_effective_in_past", "DISC-5", "effective_on", Severity.WARNING,
            params={"date": terms.effective_on.isoformat(),
                    "submitted": submitted_on.isoformat()},
        ))
    return problems


@dataclass(frozen=True)
class Version:
    """What deciding the current version needs to know about one policy filing."""

    filing_id: int
    is_approved: bool
    effective_on: date
    decided_at: datetime | None


class VersionRole(enum.StrEnum):
    """The part an approved version plays on a given day."""

    CURRENT = "current"  # the one in force
    PREVIOUS = "previous"  # approved and in effect once, now replaced (superseded)
    SCHEDULED = "scheduled"  # approved, takes effect later


def _currency_key(version: Version):
    decided = version.decided_at.timestamp() if version.decided_at else float("-inf")
    return (version.effective_on, decided, version.filing_id)


def pick_current(versions, on: date) -> Version | None:
    """The version in force on *on*: approved, effective on or before it, the latest one."""
    candidates = [v for v in versions if v.is_approved and v.effective_on <= on]
    return max(candidates, key=_currency_key, default=None)


def version_role(version: Version, current_id: int | None, on: date) -> VersionRole | None:
    """The role of *version* on *on*, given the filing id of the version in force then
    (:func:`pick_current`); None when it is not approved."""
    if not version.is_approved:
        return None
    if version.filing_id == current_id:
        return VersionRole.CURRENT
    return VersionRole.SCHEDULED if version.effective_on > on else VersionRole.PREVIOUS


def version_roles(versions, on: date) -> dict[int, VersionRole]:
    """The role of each approved version on *on*, by filing id (others have none)."""
    current = pick_current(versions, on)
    current_id = current.filing_id if current is not None else None
    roles = {}
    for version in versions:
        role = version_role(version, current_id, on)
        if role is not None:
            roles[version.filing_id] = role
    return roles


# The key terms compared between two versions, in the order shown.
COMPARED_TERMS = ("title", "consumer_return_days", "seller_return_days", "requires_unopened",
                  "refund_days", "return_places", "contact", "effective_on", "document")


@dataclass(frozen=True)
class TermRow:
    key: str
    a: object
    b: object

    @property
    def is_changed(self) -> bool:
        return self.a != self.b


def compare_terms(a: dict, b: dict) -> list[TermRow]:
    """Side by side rows of the key terms of two versions (plain dicts), in display order.

    Return places are compared as sets: the order they were ticked in does not matter.
    """
    rows = []
    for key in COMPARED_TERMS:
        left, right = a.get(key), b.get(key)
        if key == "return_places":
            left = tuple(p.value for p in ReturnPlace if p.value in set(left or ()))
            right = tuple(p.value for p in ReturnPlace if p.value in set(right or ()))
        rows.append(TermRow(key, left, right))
    return rows
