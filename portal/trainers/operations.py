"""Create, edit and check trainer filings. Each function flushes; the view commits."""

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, select

from .. import audit
from ..extensions import db
from ..filings import operations as filings
from ..filings import versions
from ..models import Filing, FilingKind, Trainer, utcnow
from ..rules import workflow
from ..rules.problems import Problem
from ..rules.trainers import check_trainer, mask_id_number
from ..rules.workflow import Action, Side, Status

filings.register_detail(FilingKind.TRAINER, Trainer)
versions.register_mask(FilingKind.TRAINER, "id_number", mask_id_number)

FIELDS = ("name", "id_number", "employment_start", "degree", "certificate_no",
          "is_formal_employee", "has_criminal_record", "is_mainland_resident")
CHINA = ZoneInfo("Asia/Shanghai")


def china_today() -> date:
    """Today's date in China, the day a submission counts as made."""
    return utcnow().astimezone(CHINA).date()


# Read for every rule check of a trainer (its filing page too): built once, so SQLAlchemy
# works out its cache key once. ix_trainer_id_number finds the person's filings; without it
# (or where a database prefers the filings' side) the kind keeps the search to the
# enterprise's trainers rather than all its filings.
DUPLICATE = (
    select(Filing)
    .join(Trainer, Trainer.filing_id == Filing.id)
    .where(
        Filing.enterprise_id == bindparam("enterprise_id"),
        Filing.kind == FilingKind.TRAINER,
        Filing.id != bindparam("filing_id"),
        Filing.status.not_in(workflow.FINAL),
        Trainer.id_number == bindparam("id_number"),
    )
    .order_by(Filing.id)
    .limit(1)
)


def duplicate_of(trainer: Trainer) -> Filing | None:
    """Another live filing of the same enterprise for the same ID number, if any."""
    return db.session.scalar(DUPLICATE, {"enterprise_id": trainer.filing.enterprise_id,
                                         "filing_id": trainer.filing_id,
                                         "id_number": trainer.id_number})


def problems(trainer: Trainer, on: date | None = None) -> list[Problem]:
    """The rule findings for *trainer* if it were submitted on *on* (default: today in China)."""
    found = check_trainer(
        employment_start=trainer.employment_start,
        degree=trainer.degree,
        is_formal_employee=trainer.is_formal_employee,
        has_criminal_record=trainer.has_criminal_record,
        is_mainland_resident=trainer.is_mainland_resident,
        id_number=trainer.id_number,
        certificate_no=trainer.certificate_no,
        on=on or china_today(),
        min_years=current_app.config["TRAINER_MIN_SERVICE_YEARS"],
    )
    other = duplicate_of(trainer)
    if other is not None:
        found.append(Problem("trainer_already_filed", None, "id_number",
                             params={"number": other.number}))
    return found


def create(enterprise, data: dict, actor) -> Trainer:
    """A new draft trainer filing; its region is the enterprise's seat, its title the name."""
    filing = filings.create(FilingKind.TRAINER, enterprise, enterprise.region_code,
                            data["name"], actor)
    trainer = Trainer(filing=filing, **{key: data[key] for key in FIELDS})
    db.session.add(trainer)
    db.session.flush()
    return trainer


def update(trainer: Trainer, data: dict, actor, expected_version=None) -> None:
    """Change an editable trainer's fields; an approved trainer is amended and resubmitted.

    :raise filings.ConflictError: someone changed the filing since the form was loaded.
    :raise filings.RuleViolation: an amendment that breaks a rule.
    """
    filing = trainer.filing
    if expected_version is not None and filings.is_stale(filing, expected_version):
        raise filings.ConflictError(filing)
    for key in FIELDS:
        setattr(trainer, key, data[key])
    filing.title = trainer.name
    db.session.flush()
    if filing.status is Status.APPROVED:
        filings.apply(filing, Action.AMEND, actor, Side.ENTERPRISE, problems=problems(trainer))
    else:
        audit.record("filing.edited", filing, actor=actor, number=filing.number)
