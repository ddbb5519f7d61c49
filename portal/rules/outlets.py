"""Service outlet rules (直销行业服务网点设立管理办法; DSR Art. 10)."""

from .premises import FORBIDDEN_FOR_OUTLETS, Premises
from .problems import Problem
from .regions import is_within, prefix_of


def check_outlet(premises: Premises, region_code: str, approved_codes) -> list[Problem]:
    """Problems of an outlet at *region_code* in *premises*, given the approved region codes."""
    problems = []
    if premises in FORBIDDEN_FOR_OUTLETS:
        problems.append(Problem("premises_forbidden", "OUT-2", "premises_type"))
    if not any(is_within(region_code, prefix_of(code)) for code in approved_codes):
        problems.append(Problem("outside_approved_regions", "OUT-3", "region_code"))
    return problems
