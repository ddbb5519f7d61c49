"""What the shared filing pages need to know about each kind. One entry per kind."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import joinedload, lazyload

from ..meetings import operations as meeting_ops
from ..models import FilingKind, Meeting, Outlet, Region, ReturnPolicy, Trainer
from ..outlets import operations as outlet_ops
from ..policies import operations as policy_ops
from ..trainers import operations as trainer_ops


@dataclass(frozen=True)
class KindInfo:
    """How the shared pages show and check one kind of filing."""

    model: type
    detail_template: str  # partial showing the kind's fields
    edit_endpoint: str  # takes filing_id
    new_endpoint: str
    problems: Callable  # detail -> list[Problem]
    documents: Callable  # detail -> list[Document]
    # Loader options for what the filing page shows and checks of the detail, so it takes a
    # fixed number of statements (not one per trainer, nor one per region name).
    detail_options: tuple = ()


KINDS = {
    FilingKind.OUTLET: KindInfo(
        model=Outlet,
        detail_template="outlets/_detail.html",
        edit_endpoint="outlets.edit",
        new_endpoint="outlets.new",
        problems=outlet_ops.problems,
        documents=lambda outlet: [d for d in [outlet.proof_document] if d is not None],
        detail_options=(joinedload(Outlet.region).joinedload(Region.parent),
                        joinedload(Outlet.proof_document)),
    ),
    FilingKind.MEETING: KindInfo(
        model=Meeting,
        detail_template="meetings/_detail.html",
        edit_endpoint="meetings.edit",
        new_endpoint="meetings.new",
        problems=meeting_ops.problems,
        documents=lambda meeting: list(meeting.materials),
        # The agenda (at most AGENDA_ROWS items) and the materials are joined: a row per
        # item and material, few enough that this beats a statement for each; the trainers,
        # with their filings (their status), take one statement when first read.
        detail_options=(joinedload(Meeting.region).joinedload(Region.parent),
                        joinedload(Meeting.sessions), joinedload(Meeting.materials),
                        lazyload(Meeting.trainers).joinedload(Trainer.filing)),
    ),
    FilingKind.TRAINER: KindInfo(
        model=Trainer,
        detail_template="trainers/_detail.html",
        edit_endpoint="trainers.edit",
        new_endpoint="trainers.new",
        problems=trainer_ops.problems,
        documents=lambda trainer: [],
    ),
    FilingKind.RETURN_POLICY: KindInfo(
        model=ReturnPolicy,
        detail_template="policies/_detail.html",
        edit_endpoint="policies.edit",
        new_endpoint="policies.new",
        problems=policy_ops.problems,
        documents=lambda policy: [d for d in [policy.document] if d is not None],
        detail_options=(joinedload(ReturnPolicy.document),),
    ),
}
