"""The double-random draw: reproducible from the seed, fair, and never against a recusal."""

import collections
import itertools
import random

import pytest

from portal.rules.sampling import (
    DrawError,
    Target,
    commitment,
    draw,
    new_seed,
    sample_size,
)

SEED = "5" * 64


def roster(n, enterprises=None):
    enterprises = enterprises or n
    return [Target(f"outlet:{i}", i % enterprises) for i in range(1, n + 1)]


def spread(result, inspectors):
    loads = result.loads(inspectors).values()
    return max(loads) - min(loads)


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    targets, inspectors = roster(200), list(range(1, 11))
    first = draw(SEED, targets, inspectors, size=20, per_target=2)
    again = draw(SEED, list(reversed(targets)), inspectors, size=20, per_target=2)
    other = draw("6" * 64, targets, inspectors, size=20, per_target=2)
    assert first == again  # the roster's order does not matter, only the seed
    assert [t for t, _ in first.assignments] != [t for t, _ in other.assignments]
    assert len({t for t, _ in first.assignments}) == 20


def test_commitment_is_the_sha256_of_the_seed():
    assert commitment("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert len(new_seed()) == 64 and new_seed() != new_seed()


def test_every_target_gets_distinct_inspectors_and_loads_differ_by_at_most_one():
    inspectors = list(range(1, 8))
    result = draw(SEED, roster(100), inspectors, size=23, per_target=3)
    for _, chosen in result.assignments:
        assert len(chosen) == len(set(chosen)) == 3
    assert spread(result, inspectors) <= 1
    assert sum(result.loads(inspectors).values()) == 69


@pytest.mark.parametrize("case", range(40))
def test_recusals_are_never_violated(case):
    rng = random.Random(case)
    inspectors = list(range(100, 100 + rng.randint(3, 12)))
    enterprises = rng.randint(2, 15)
    targets = roster(rng.randint(10, 120), enterprises)
    # Each inspector recuses from a few enterprises, but every enterprise keeps enough.
    recusals = {(i, e) for i in inspectors for e in range(enterprises) if rng.random() < 0.2}
    per_target = rng.randint(2, 3)
    for e in range(enterprises):
        free = [i for i in inspectors if (i, e) not in recusals]
        recused = [i for i in inspectors if (i, e) in recusals]
        for i in recused[: max(0, per_target - len(free))]:
            recusals.discard((i, e))
    size = rng.randint(1, len(targets))
    result = draw(f"{case:064x}", targets, inspectors, size=size, per_target=per_target,
                  recusals=recusals)
    by_key = {t.key: t for t in targets}
    for key, chosen in result.assignments:
        assert len(set(chosen)) == per_target
        assert not any((i, by_key[key].enterprise_id) in recusals for i in chosen)
    if not recusals:
        assert spread(result, inspectors) <= 1


def best_spread(targets, inspectors, per_target, recusals):
    """The smallest spread of loads any assignment of these targets can have (brute force)."""
    options = [
        [c for c in itertools.combinations(inspectors, per_target)
         if not any((i, t.enterprise_id) in recusals for i in c)]
        for t in targets
    ]
    best = None
    for choice in itertools.product(*options):
        loads = collections.Counter(i for c in choice for i in c)
        value = max(loads[i] for i in inspectors) - min(loads[i] for i in inspectors)
        best = value if best is None else min(best, value)
    return best


@pytest.mark.parametrize("case", range(60))
def test_loads_are_as_even_as_the_recusals_allow(case):
    """On small cases, compare with every possible assignment of the drawn targets."""
    rng = random.Random(1000 + case)
    inspectors = list(range(1, rng.randint(3, 5) + 1))
    targets = [Target(f"outlet:{n}", rng.randint(0, 2)) for n in range(rng.randint(2, 6))]
    recusals = {(i, e) for i in inspectors for e in range(3) if rng.random() < 0.3}
    for e in range(3):
        recused = [i for i in inspectors if (i, e) in recusals]
        for i in recused[: max(0, 2 - (len(inspectors) - len(recused)))]:
            recusals.discard((i, e))
    result = draw(f"{case:064x}", targets, inspectors, size=len(targets), per_target=2,
                  recusals=recusals)
    assert spread(result, inspectors) == best_spread(targets, inspectors, 2, recusals)


def test_balance_moves_work_along_a_chain_when_recusals_force_it():
    # Inspector 1 is recused from enterprise 0, which owns most targets; the greedy draw would
    # overload 2 and 3, and only a chain of moves through enterprise 1's targets evens it out.
    targets = [Target(f"outlet:{i}", 0 if i <= 8 else 1) for i in range(1, 11)]
    result = draw(SEED, targets, [1, 2, 3], size=10, per_target=2, recusals={(1, 0)})
    loads = result.loads([1, 2, 3])
    assert all((1 not in chosen) for key, chosen in result.assignments
               if int(key.split(":")[1]) <= 8)
    # 20 assignments, 1 can only take the 2 targets of enterprise 1: 2 + 9 + 9.
    assert loads == {1: 2, 2: 9, 3: 9}


def test_fewer_eligible_inspectors_than_needed_is_a_clear_error():
    targets = [Target("enterprise:1", 1)]
    with pytest.raises(DrawError) as error:
        draw(SEED, targets, [1, 2, 3], size=1, per_target=2, recusals={(1, 1), (2, 1)})
    assert error.value.code == "too_few_eligible"
    assert error.value.params == {"target": "enterprise:1", "needed": 2, "available": 1}
    with pytest.raises(DrawError) as error:
        draw(SEED, targets, [1], size=1, per_target=2)
    assert error.value.code == "too_few_inspectors"
    with pytest.raises(DrawError) as error:
        draw(SEED, targets, [1, 2], size=1, per_target=1)
    assert error.value.code == "too_few_per_target"
    with pytest.raises(DrawError) as error:
        draw(SEED, targets, [1, 2], size=2, per_target=2)
    assert error.value.code == "sample_too_large"


def test_sample_size_by_count_or_ratio():
    assert sample_size(50, count=5) == 5
    assert sample_size(50, ratio=0.05) == 3  # rounded up
    assert sample_size(100, ratio=0.05) == 5
    assert sample_size(7, ratio=1) == 7
    for kwargs, code in (({}, "sample_unclear"), ({"count": 0}, "sample_too_small"),
                         ({"count": 51}, "sample_too_large"), ({"ratio": 0}, "ratio_out_of_range"),
                         ({"ratio": 1.5}, "ratio_out_of_range"),
                         ({"count": 1, "ratio": 0.5}, "sample_unclear")):
        with pytest.raises(DrawError) as error:
            sample_size(50, **kwargs)
        assert error.value.code == code


def reference_draw(seed, targets, inspectors, *, size, per_target, recusals=frozenset()):
    """The draw as first written (step 2 builds each pool as a list): the fast draw must give
    exactly the same answer, or plans drawn before would no longer verify."""
    from portal.rules import sampling

    score = sampling._scorer(seed)
    chosen_targets = [t for _, _, t in sorted(
        (score("target|" + t.key), t.key, t) for t in targets)[:size]]
    recused_by = {}
    for inspector, enterprise in recusals:
        recused_by.setdefault(enterprise, set()).add(inspector)
    position = {inspector: n for n, inspector in enumerate(inspectors)}
    load = dict.fromkeys(inspectors, 0)
    levels = {0: list(range(len(inspectors)))}
    assignments = []
    for target in chosen_targets:
        excluded = recused_by.get(target.enterprise_id, set())
        picked, j, level, pool = [], 0, min(levels), None
        while len(picked) < per_target:
            if pool is None:
                pool = [inspectors[p] for p in levels.get(level, ())
                        if inspectors[p] not in excluded and inspectors[p] not in picked]
            if not pool:
                level, pool = min(lv for lv in levels if lv > level), None
                continue
            picked.append(pool.pop(score(f"inspector|{target.key}|{j}") % len(pool)))
            j += 1
        for inspector in picked:
            sampling._move(levels, position[inspector], load[inspector])
            load[inspector] += 1
        assignments.append(picked)
    sampling._balance(chosen_targets, assignments, inspectors, load, recused_by)
    return tuple((t.key, tuple(sorted(c, key=position.__getitem__)))
                 for t, c in zip(chosen_targets, assignments, strict=True))


@pytest.mark.parametrize("case", range(80))
def test_the_fast_pools_draw_exactly_what_the_reference_draws(case):
    rng = random.Random(5000 + case)
    inspectors = sorted(rng.sample(range(1, 500), rng.randint(2, 40)))
    enterprises = rng.randint(1, 30)
    targets = roster(rng.randint(5, 400), enterprises)
    per_target = rng.randint(2, min(4, len(inspectors)))
    recusals = {(i, e) for i in inspectors for e in range(enterprises)
                if rng.random() < rng.choice((0, 0.05, 0.3))}
    recusals |= {(999, 0), (1000, 1)}  # recusals of inspectors not on this roster
    for e in range(enterprises):  # keep enough free inspectors for every enterprise
        free = [i for i in inspectors if (i, e) not in recusals]
        for i in [i for i in inspectors if (i, e) in recusals][: max(0, per_target - len(free))]:
            recusals.discard((i, e))
    size = rng.randint(1, len(targets))
    seed = f"{rng.getrandbits(256):064x}"
    fast = draw(seed, targets, inspectors, size=size, per_target=per_target, recusals=recusals)
    assert fast.assignments == reference_draw(seed, targets, inspectors, size=size,
                                              per_target=per_target, recusals=recusals)
