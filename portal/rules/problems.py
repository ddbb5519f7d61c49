"""What a rule check returns: problems that block a submission, or warnings that do not."""

import enum
from dataclasses import dataclass
from dataclasses import field as dataclass_field


class Severity(enum.StrEnum):
    ERROR = "error"  # the filing cannot be submitted
    WARNING = "warning"  # shown to the enterprise before submitting and to the regulator


@dataclass(frozen=True)
class Problem:
    """One finding: a code the UI translates, the field it concerns and the legal basis.

    ``basis`` is a key of :data:`portal.legal.BASIS` (e.g. ``OUT-2``); ``params`` fill the
    message's placeholders.
    """

    code: str
    basis: str | None = None
    field: str | None = None
    severity: Severity = Severity.ERROR
    params: dict = dataclass_field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def errors(problems) -> list[Problem]:
    return [p for p in problems if p.is_error]
