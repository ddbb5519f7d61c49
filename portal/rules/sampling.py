"""The double-random draw (双随机): which targets are checked and by which inspectors.

The draw is a pure function of a secret seed and three frozen lists, so anyone holding them can
recompute it once the seed is revealed. Before the draw only ``commitment(seed)`` (SHA-256) is
published; a seed that hashes to it cannot be swapped afterwards.

Algorithm (``sha256-v1``). ``H(m)`` is SHA-256 of the UTF-8 text ``seed + "|" + m``, read as a
big-endian number.

1. Targets. Each target key (text, e.g. ``"enterprise:17"``) gets the score
   ``H("target|" + key)``. The *n* targets with the lowest scores are drawn,
   ties (impossible in practice) broken by key. They are then processed in score order.
2. Inspectors. For each drawn target in turn, *k* different inspectors are chosen among those
   not recused from the target's enterprise, always from the least loaded first: the eligible
   inspectors with the lowest current load form the pool, and the *j*-th pick (j = 0, 1, …) is
   ``pool[H("inspector|" + key + "|" + j) mod len(pool)]`` (j keeps counting
   through picks that hit someone already chosen for this target). When the pool runs out, the
   next load level forms the next pool.
3. Balance. Recusals can leave loads uneven. While some inspector carries at least two more
   checks than another, an assignment is moved along a chain (A takes B's target, B takes C's, …)
   from the lightest towards a heavier one, if such a chain exists without breaking a recusal or
   putting someone twice on a target. Chains are searched breadth-first with inspectors in
   roster order, so this step is deterministic too. Loads then differ by at most one whenever
   the recusals allow it.

Inspector ids are ordered as given (the roster, sorted by id); the result is independent of the
order of the target roster because scores decide.
"""

import bisect
import hashlib
import math
import secrets
from collections import deque
from dataclasses import dataclass

ALGORITHM = "sha256-v1"
MIN_INSPECTORS_PER_TARGET = 2


class DrawError(ValueError):
    """The draw cannot be made; ``code`` says why (the view translates it), ``params`` fill it."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Target:
    key: str  # stable text key, e.g. "outlet:123"
    enterprise_id: int  # for recusals


@dataclass(frozen=True)
class Draw:
    """The drawn targets in draw order, each with its inspectors (roster order)."""

    assignments: tuple[tuple[str, tuple[int, ...]], ...]

    def loads(self, inspectors) -> dict[int, int]:
        counts = dict.fromkeys(inspectors, 0)
        for _, chosen in self.assignments:
            for inspector in chosen:
                counts[inspector] += 1
        return counts


def new_seed() -> str:
    """A fresh secret seed: 32 random bytes as hex."""
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    """The SHA-256 (hex) of the seed, published before the draw."""
    return hashlib.sha256(seed.encode()).hexdigest()


def _scorer(seed: str):
    """score(message) = SHA-256(seed + "|" + message) as a number."""
    prefix = hashlib.sha256((seed + "|").encode())

    def score(message: str) -> int:
        h = prefix.copy()
        h.update(message.encode())
        return int.from_bytes(h.digest(), "big")

    return score


def sample_size(roster_size: int, *, count: int | None = None, ratio: float | None = None) -> int:
    """How many targets to draw: a count, or a ratio (0 < r ≤ 1) of the roster rounded up.

    :raise DrawError: neither or both given, or a count or ratio out of range.
    """
    if (count is None) == (ratio is None):
        raise DrawError("sample_unclear")
    if count is not None:
        if count < 1:
            raise DrawError("sample_too_small")
        if count > roster_size:
            raise DrawError("sample_too_large", count=count, roster=roster_size)
        return count
    if not 0 < ratio <= 1:
        raise DrawError("ratio_out_of_range")
    return max(1, math.ceil(roster_size * ratio - 1e-9)) if roster_size else 0


def draw(
    seed: str,
    targets: list[Target],
    inspectors: list[int],
    *,
    size: int,
    per_target: int,
    recusals: set[tuple[int, int]] = frozenset(),
) -> Draw:
    """Draw *size* targets and *per_target* inspectors for each (see the module docstring).

    *recusals* holds (inspector id, enterprise id) pairs.

    :raise DrawError: too few targets or inspectors, fewer than two inspectors per target, or a
        target for which too few inspectors are not recused.
    """
    if per_target < MIN_INSPECTORS_PER_TARGET:
        raise DrawError("too_few_per_target", minimum=MIN_INSPECTORS_PER_TARGET)
    if size < 1 or size > len(targets):
        raise DrawError("sample_too_large", count=size, roster=len(targets))
    if len(inspectors) < per_target:
        raise DrawError("too_few_inspectors", needed=per_target, available=len(inspectors))
    score = _scorer(seed)
    scored = sorted((score("target|" + t.key), t.key, t) for t in targets)
    chosen_targets = [t for _, _, t in scored[:size]]

    recused_by: dict[int, set[int]] = {}
    for inspector, enterprise in recusals:
        recused_by.setdefault(enterprise, set()).add(inspector)
    position = {inspector: n for n, inspector in enumerate(inspectors)}
    load = dict.fromkeys(inspectors, 0)
    # levels[l] = roster positions of the inspectors with load l, ascending.
    levels: dict[int, list[int]] = {0: list(range(len(inspectors)))}
    assignments: list[list[int]] = []

    for target in chosen_targets:
        excluded = recused_by.get(target.enterprise_id, ())
        picked: list[int] = []
        j = 0
        level = min(levels)
        bucket = None
        while len(picked) < per_target:
            if bucket is None:
                # The pool is this level's inspectors minus the excluded and the picked ones,
                # in roster order. It is not built: *skip* holds the bucket indexes left out
                # (a handful), and the k-th pool member is found by stepping over them.
                bucket = levels.get(level, [])
                skip = sorted(bisect.bisect_left(bucket, position[i])
                              for i in (*excluded, *picked)
                              if i in position and load[i] == level) if (
                    excluded or picked) else []
                size = len(bucket) - len(skip)
            if not size:
                higher = [lv for lv in levels if lv > level]
                if not higher:
                    eligible = len(inspectors) - len(set(excluded) & load.keys())
                    raise DrawError("too_few_eligible", target=target.key,
                                    needed=per_target, available=eligible)
                level, bucket = min(higher), None
                continue
            index = score(f"inspector|{target.key}|{j}") % size
            for left_out in skip:
                if left_out > index:
                    break
                index += 1
            bisect.insort(skip, index)
            size -= 1
            j += 1
            picked.append(inspectors[bucket[index]])
        for inspector in picked:
            _move(levels, position[inspector], load[inspector])
            load[inspector] += 1
        assignments.append(picked)

    _balance(chosen_targets, assignments, inspectors, load, recused_by)
    return Draw(tuple(
        (t.key, tuple(sorted(chosen, key=position.__getitem__)))
        for t, chosen in zip(chosen_targets, assignments, strict=True)
    ))


def _move(levels, at: int, old: int) -> None:
    """Move roster position *at* from load level *old* to the next one."""
    bucket = levels[old]
    del bucket[bisect.bisect_left(bucket, at)]
    if not bucket:
        del levels[old]
    bisect.insort(levels.setdefault(old + 1, []), at)


def _balance(targets, assignments, inspectors, load, recused_by) -> None:
    """Move assignments along chains from heavier to lighter inspectors until balanced."""
    holding: dict[int, list[int]] = {i: [] for i in inspectors}  # inspector -> target indexes
    for n, chosen in enumerate(assignments):
        for inspector in chosen:
            holding[inspector].append(n)

    def can_take(inspector, n):
        return (inspector not in recused_by.get(targets[n].enterprise_id, ())
                and inspector not in assignments[n])

    position = {inspector: n for n, inspector in enumerate(inspectors)}
    while max(load.values()) - min(load.values()) > 1:
        top = max(load.values())
        for light in sorted(inspectors, key=lambda i: (load[i], position[i])):
            if load[light] > top - 2:
                return  # no chain from any light inspector reaches a heavy one
            heavy, came_from = _chain(light, inspectors, holding, load, can_take)
            if heavy is not None:
                break
        else:
            return
        giver = heavy
        while came_from[giver] is not None:
            taker, n = came_from[giver]
            assignments[n][assignments[n].index(giver)] = taker
            holding[giver].remove(n)
            holding[taker].append(n)
            giver = taker
        load[heavy] -= 1
        load[light] += 1


def _chain(light, inspectors, holding, load, can_take):
    """Breadth-first: the nearest inspector with load ≥ light's + 2 who can pass a target down."""
    came_from = {light: None}
    queue = deque([light])
    while queue:
        taker = queue.popleft()
        for giver in inspectors:
            if giver in came_from:
                continue
            movable = next((n for n in holding[giver] if can_take(taker, n)), None)
            if movable is None:
                continue
            came_from[giver] = (taker, movable)
            if load[giver] >= load[light] + 2:
                return giver, came_from
            queue.append(giver)
    return None, came_from


def redraw(seed: str, key: str, number: int, candidates: dict[int, int]) -> int:
    """The replacement inspector of the *number*-th re-draw (1, 2, …) on target *key*.

    A drawn check is final, but one inspector may be replaced (illness, a late conflict). The
    replacement is drawn as verifiably as the draw itself. *candidates* maps each eligible
    inspector (on the bureau's current roster, not recused for the target's enterprise, not on
    the check already) to their load (open checks assigned now). Rule (``sha256-v1``): the
    candidates with the lowest load form the pool, in id order; the pick is
    ``pool[H("redraw|" + key + "|" + number) mod len(pool)]`` with ``H`` as in the draw, i.e.
    SHA-256 of ``seed + "|redraw|" + key + "|" + number``. Storing *candidates* with the
    re-draw lets anyone recompute it once the seed is revealed.

    :raise DrawError: ``no_eligible_replacement`` when *candidates* is empty.
    """
    if not candidates:
        raise DrawError("no_eligible_replacement", target=key)
    lowest = min(candidates.values())
    pool = sorted(i for i, load in candidates.items() if load == lowest)
    return pool[_scorer(seed)(f"redraw|{key}|{number}") % len(pool)]
