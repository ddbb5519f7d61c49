"""Benchmark: the double-random draw (portal/rules/sampling.py) at a bureau's scale.

    .venv/bin/python bench/draw.py [--targets 50000] [--inspectors 200] [--repeat 5]

Draws 1 %, 10 % and 100 % of a roster of TARGETS outlets (spread over a tenth as many
enterprises, with 1 % of inspector-enterprise pairs recused) with 2 inspectors each, and prints
the median time and the spread of the loads. Target: under 1 s for 50,000 targets and 200
inspectors at the usual sample sizes.
"""

import argparse
import random
import statistics
import time

from portal.rules.sampling import Target, draw, new_seed


def main(targets: int, inspectors: int, repeat: int) -> None:
    rng = random.Random(2026)  # noqa: S311  (a fixed, repeatable test roster)
    enterprises = max(1, targets // 10)
    roster = [Target(f"outlet:{n}", rng.randrange(enterprises)) for n in range(targets)]
    staff = list(range(1, inspectors + 1))
    recusals = {(rng.choice(staff), rng.randrange(enterprises))
                for _ in range(max(1, inspectors * enterprises // 100))}
    for share in (0.01, 0.10, 1.0):
        size = max(1, round(targets * share))
        times, spreads = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            result = draw(new_seed(), roster, staff, size=size, per_target=2, recusals=recusals)
            times.append(time.perf_counter() - start)
            loads = result.loads(staff).values()
            spreads.append(max(loads) - min(loads))
        print(f"draw {size:>6,} of {targets:,} targets, {inspectors} inspectors, "
              f"{len(recusals):,} recusals: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms, load spread {max(spreads)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=50_000)
    parser.add_argument("--inspectors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    main(args.targets, args.inspectors, args.repeat)
