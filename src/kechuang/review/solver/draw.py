"""Random mode: the national system's reproducible random draw among qualified experts."""

from __future__ import annotations

import time

import numpy as np

from .candidates import listed_mask
from .optimal import solve_flow
from .problem import InfeasibleError, Problem, ProgressFn, Solution, build_solution, noop


def solve_random(problem: Problem, *, seed: int, progress: ProgressFn = noop) -> Solution:
    """The national system's random draw among qualified experts, reproducible from `seed`.

    Every qualified pair (conflict-free, expert under their cap) gets an independent uniform random
    priority from the seeded generator, and the draw keeps the highest-priority assignment that meets
    k and the load bounds (a min-cost flow over the priorities), so no expert is favoured. On large
    rounds (more than 4 million pairs) each subject first draws a uniform random sample of candidate
    experts (doubled until the draw is feasible) instead of giving every pair a priority. The same seed
    and the same input give the same draw.
    """
    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    rng = np.random.default_rng(seed)
    progress(10, "drawing")
    sample = m if n * m <= 4 * 10**6 else min(m, max(10 * k, 40))
    while True:
        if sample >= m:
            rr, cc = np.divmod(np.arange(n * m, dtype=np.int64), m)
        else:
            rr = np.repeat(np.arange(n, dtype=np.int64), sample)
            # A uniform sample without replacement per subject: the `sample` smallest of m random keys.
            cc = np.concatenate(
                [
                    np.argpartition(rng.random((min(n - s, 1024), m)), sample - 1, axis=1)[:, :sample].ravel()
                    for s in range(0, n, 1024)
                ]
            ).astype(np.int64)
        conf = listed_mask(problem.conflicts, rr, cc)
        rr, cc = rr[~conf], cc[~conf]
        pr = rng.integers(1, 10**6, size=rr.size, dtype=np.int64)
        ok, arc_flow, _ = solve_flow(problem, rr, cc, pr)
        if ok:
            break
        if sample >= m:
            raise InfeasibleError("no assignment satisfies k, the load bounds and the conflicts")
        sample = min(m, sample * 2)
    used = arc_flow > 0
    pairs = np.stack([rr[used], cc[used]], axis=1)
    progress(100, "done")
    return build_solution(
        problem, pairs, None, "random", started, {"seed": int(seed), "sampled_candidates": int(sample)}
    )
