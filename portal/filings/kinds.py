"""What the shared filing pages need to know about each kind. One entry per kind."""

from collections.abc import Callable
from dataclasses import dataclass

from ..models import FilingKind, Outlet
from ..outlets import operations as outlet_ops


@dataclass(frozen=True)
class KindInfo:
    """How the shared pages show and check one kind of filing."""

    model: type
    detail_template: str  # partial showing the kind's fields
    edit_endpoint: str  # takes filing_id
    new_endpoint: str
    problems: Callable  # detail -> list[Problem]
    documents: Callable  # detail -> list[Document]


KINDS = {
    FilingKind.OUTLET: KindInfo(
        model=Outlet,
        detail_template="outlets/_detail.html",
        edit_endpoint="outlets.edit",
        new_endpoint="outlets.new",
        problems=outlet_ops.problems,
        documents=lambda outlet: [d for d in [outlet.proof_document] if d is not None],
    ),
}
