"""Re-drawing one inspector of a check: least loaded first, ties by the seed, reproducible."""

import collections
import hashlib

import pytest

from portal.rules.sampling import DrawError, redraw

SEED = "7" * 64


def test_the_least_loaded_candidate_is_chosen():
    assert redraw(SEED, "outlet:1", 1, {5: 2, 9: 0, 3: 1}) == 9


def test_ties_are_broken_by_the_documented_hash():
    candidates = {4: 1, 8: 1, 2: 1, 6: 3}
    pool = [2, 4, 8]
    digest = hashlib.sha256(f"{SEED}|redraw|enterprise:17|2".encode()).digest()
    assert redraw(SEED, "enterprise:17", 2, candidates) == pool[
        int.from_bytes(digest, "big") % len(pool)]


def test_the_same_inputs_give_the_same_replacement_and_the_order_does_not_matter():
    a = redraw(SEED, "outlet:3", 1, {1: 0, 2: 0, 3: 0})
    assert all(redraw(SEED, "outlet:3", 1, {3: 0, 2: 0, 1: 0}) == a for _ in range(5))


def test_the_number_and_the_seed_change_the_tie_break():
    picks = collections.Counter(
        redraw(seed, "outlet:3", n, dict.fromkeys(range(1, 5), 0))
        for seed in ("1" * 64, "2" * 64, "3" * 64) for n in range(1, 41)
    )
    assert set(picks) == {1, 2, 3, 4}  # every tied candidate can be drawn


def test_no_candidate_is_a_clear_error():
    with pytest.raises(DrawError) as error:
        redraw(SEED, "outlet:3", 1, {})
    assert error.value.code == "no_eligible_replacement"
    assert error.value.params == {"target": "outlet:3"}
