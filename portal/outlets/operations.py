"""Create, edit and submit outlet filings. Each function flushes; the view commits."""

from .. import audit
from ..extensions import db
from ..filings import operations as filings
from ..models import Enterprise, FilingKind, Outlet
from ..rules.outlets import check_outlet
from ..rules.workflow import Action, Side, Status

filings.register_detail(FilingKind.OUTLET, Outlet)

FIELDS = ("name", "premises_type", "address", "region_code", "person_in_charge", "phone",
          "opening_hours")


def problems(outlet: Outlet) -> list:
    """The rule findings for *outlet* against its enterprise's licence."""
    enterprise = db.session.get(Enterprise, outlet.filing.enterprise_id)
    approved = [r.region_code for r in enterprise.approved_regions]
    return check_outlet(outlet.premises_type, outlet.region_code, approved)


def create(enterprise, data: dict, proof_document, actor) -> Outlet:
    """A new draft outlet filing with the fields in *data*."""
    filing = filings.create(FilingKind.OUTLET, enterprise, data["region_code"], data["name"], actor)
    outlet = Outlet(filing=filing, proof_document=proof_document,
                    **{key: data[key] for key in FIELDS})
    db.session.add(outlet)
    db.session.flush()
    return outlet


def update(outlet: Outlet, data: dict, proof_document, actor, expected_version=None) -> None:
    """Change an editable outlet's fields; an approved outlet is amended and resubmitted.

    :raise filings.ConflictError: someone changed the filing since the form was loaded.
    :raise filings.RuleViolation: an amendment that breaks a rule.
    """
    filing = outlet.filing
    if expected_version is not None and filings.is_stale(filing, expected_version):
        raise filings.ConflictError(filing)
    for key in FIELDS:
        setattr(outlet, key, data[key])
    if proof_document is not None:
        outlet.proof_document = proof_document
    filing.title = outlet.name
    filing.region_code = outlet.region_code
    db.session.flush()
    if filing.status is Status.APPROVED:
        filings.apply(filing, Action.AMEND, actor, Side.ENTERPRISE, problems=problems(outlet))
    else:
        audit.record("filing.edited", filing, actor=actor, number=filing.number)


def import_rows(enterprise, rows: list[dict], actor, source: str) -> list[Outlet]:
    """Create every row as a draft outlet filing, and one audit event for the whole import.

    Rows must have been checked (:func:`portal.outlets.importer.check_file`); the view commits
    once, so a failure anywhere keeps none of them.
    """
    outlets = [create(enterprise, data, None, actor) for data in rows]
    numbers = [outlet.filing.number for outlet in outlets]
    audit.record("outlets.imported", enterprise, actor=actor, count=len(outlets), file=source,
                 first=numbers[0] if numbers else None, last=numbers[-1] if numbers else None)
    return outlets
