"""Assigning experts to subjects: optimal (min-cost flow), fair (max-min, then total) and random draw.

Pure Python + numpy + OR-Tools; no database. Every mode honours the same hard rules:
each subject gets exactly `k` experts, expert j gets between `min_load[j]` and `max_load[j]`
subjects, and a conflicted pair is never assigned.

Scores are turned into integers by `scale` (10**6 by default, exact for scores with up to six
decimals: the OpenReview CSV reader picks the scale from the decimals present, and Kechuang's own
affinities are rounded to six decimals when they are computed). The optimum is then exact, not rounded.

Pruning and its certificate (optimal mode). The flow is first solved over each subject's top-N
candidates. From the optimal residual graph, node potentials d are computed by Bellman-Ford
(shortest distances from a virtual root), so that every residual arc has a non-negative reduced cost.
A pruned pair (i, j) with integer score a could only improve the solution if its reduced cost
-a + d[i] - d[j] were negative. Every pruned pair is checked (listed pairs exactly; unlisted pairs,
which all carry the default score, through the smallest d[j] among them); any violator is added to
the graph and the flow solved again. When no pruned pair violates, the potentials stay feasible for
the full graph, so the residual graph of the full problem has no negative cycle and the flow is
optimal for the full problem: the result records `certified=True` and the number of rounds.
"""

from .bounds import maxmin_lp_bound
from .candidates import Graph, listed_mask
from .diagnostics import Diagnosis, diagnose
from .draw import solve_random
from .fair import CP_SAT_PARAMS, FAIR_DETERMINISTIC_TIME, TIE_RANGE, solve_fair
from .optimal import solve_optimal
from .problem import MODES, SCALE, InfeasibleError, Problem, ProgressFn, Solution, noop, verify

_noop = noop  # the name callers used before the package

__all__ = [
    "CP_SAT_PARAMS",
    "FAIR_DETERMINISTIC_TIME",
    "MODES",
    "SCALE",
    "TIE_RANGE",
    "FAIR_OPTIONS",
    "Diagnosis",
    "Graph",
    "InfeasibleError",
    "Problem",
    "ProgressFn",
    "Solution",
    "diagnose",
    "listed_mask",
    "maxmin_lp_bound",
    "noop",
    "solve",
    "solve_fair",
    "solve_optimal",
    "solve_random",
    "verify",
]


FAIR_OPTIONS = ("leximin_depth", "n_top", "exact_arcs", "deterministic_time", "bound_rounds")


def solve(
    problem: Problem,
    *,
    mode: str = "optimal",
    seed: int = 0,
    progress: ProgressFn = noop,
    options: dict | None = None,
) -> Solution:
    """Dispatch on the mode, then verify the hard rules on the result (an assertion, never skipped).
    `options`: the fair mode's parameters (`FAIR_OPTIONS`; a stored round's `stats["parameters"]`
    may be passed as it is: other keys are ignored)."""
    if mode == "optimal":
        sol = solve_optimal(problem, progress=progress)
    elif mode == "fair":
        extra = {key: value for key, value in (options or {}).items() if key in FAIR_OPTIONS}
        sol = solve_fair(problem, seed=seed, progress=progress, **extra)
    elif mode == "random":
        sol = solve_random(problem, seed=seed, progress=progress)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    verify(problem, sol)
    return sol
