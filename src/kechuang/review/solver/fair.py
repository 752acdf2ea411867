"""Fair mode: the largest worst-off subject total, then the largest total with it held."""

from __future__ import annotations

import time

import numpy as np

from .bounds import maxmin_lp_bound
from .candidates import Graph, top_candidates
from .optimal import solve_optimal
from .problem import Problem, ProgressFn, Solution, build_solution, noop

FAIR_DETERMINISTIC_TIME = 20.0  # CP-SAT deterministic time units per stage (no wall clock: reproducible)
# Interleaved search is deterministic whatever the number of workers (OR-Tools: "the search is
# deterministic, independently of num_workers"); one worker alone is deterministic too but weaker here.
CP_SAT_PARAMS = {"num_workers": 2, "interleave_search": True}
TIE_RANGE = 1024  # tie-break weights are drawn from [0, TIE_RANGE)


def solve_fair(
    problem: Problem,
    *,
    seed: int = 0,
    n_top: int | None = None,
    deterministic_time: float = FAIR_DETERMINISTIC_TIME,
    progress: ProgressFn = noop,
) -> Solution:
    """First the largest possible worst-off subject total, then the largest total with it held.

    Candidates: each subject's top-N experts, the optimal flow's pairs, each subject's best experts
    among those with spare capacity in the optimum, and every pair the LP certificate brings back
    (`maxmin_lp_bound`). Stage 1 (max-min) and stage 2 (max total subject to the stage-1 value) are
    integer programs solved with OR-Tools CP-SAT over those candidates, hinted with the optimal flow's
    assignment, so the worst-off subject is never worse than under the optimal mode.

    Reproducible: CP-SAT runs on one worker with `random_seed` = seed and a *deterministic* time limit
    (no wall clock anywhere), so the same input and seed give the same assignment on the same OR-Tools
    version. Stage 2 also maximises, below the total, a tie-break Σ t_e·x_e with weights t_e drawn from
    the seed in [0, TIE_RANGE): equal-total assignments are ranked by it, so when stage 2 is proved
    optimal the result is (almost always: isolation lemma) the unique optimum of the perturbed
    objective, whatever path the solver took.

    `stats`: `maxmin_proved` (stage 1 optimal on the candidates), `maxmin_bound` (CP-SAT's bound on the
    candidates), `maxmin_upper_bound_full` (no assignment of the whole round has a better worst-off,
    from the LP), `maxmin_certified_full` (the found worst-off reaches that bound, so it is optimal over
    the whole round, as the optimal mode's certificate is), `total_proved`.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    seed = int(seed) % 2**31
    progress(5, "optimal flow as a starting point")
    base = solve_optimal(problem)
    n_top = min(m, n_top or max(4 * k, 15))
    graph = Graph(problem)
    graph.add(*top_candidates(problem, n_top))
    graph.add(base.pairs[:, 0], base.pairs[:, 1])
    # Each subject's best experts among those with spare capacity in the optimum: where the worst-off
    # subjects find the reviewers that lift them (a subject's own top-N is often saturated).
    slack = np.flatnonzero(base.loads(m) < problem.max_load)
    if slack.size:
        sub = Problem(
            n,
            slack.size,
            problem.scores[:, slack],
            problem.conflicts[:, slack],
            k=k,
            max_load=problem.max_load[slack],
            default=problem.default,
            scale=problem.scale,
        )
        sr, sc = top_candidates(sub, min(slack.size, n_top))
        graph.add(sr, slack[sc])
    progress(15, "LP bound on the worst-off over the whole round")
    lp = maxmin_lp_bound(problem, graph)
    rows, cols = graph.rows, graph.cols
    a = graph.arc_scores()
    base_hint = np.isin(rows * m + cols, base.pairs[:, 0] * m + base.pairs[:, 1])

    def build(hint: np.ndarray):
        model = cp_model.CpModel()
        x = [model.new_bool_var("") for _ in range(rows.size)]
        by_subject: list[list[int]] = [[] for _ in range(n)]
        by_expert: list[list[int]] = [[] for _ in range(m)]
        for e, (i, j) in enumerate(zip(rows.tolist(), cols.tolist())):
            by_subject[i].append(e)
            by_expert[j].append(e)
        for i in range(n):
            model.add(sum(x[e] for e in by_subject[i]) == k)
        for j in range(m):
            if by_expert[j]:
                model.add_linear_constraint(
                    sum(x[e] for e in by_expert[j]), int(problem.min_load[j]), int(problem.max_load[j])
                )
            elif problem.min_load[j] > 0:
                model.add_bool_or([])  # an expert who must review but has no candidate: infeasible
        totals = [sum(int(a[e]) * x[e] for e in by_subject[i]) for i in range(n)]
        for e in range(rows.size):
            model.add_hint(x[e], bool(hint[e]))
        return model, x, totals

    def run(model):
        solver = cp_model.CpSolver()
        for key, value in {
            **CP_SAT_PARAMS,
            "random_seed": seed,
            "max_deterministic_time": deterministic_time,
        }.items():
            setattr(solver.parameters, key, value)
        return solver, solver.solve(model)

    progress(30, "max-min")
    model, x, totals = build(base_hint)
    amax = int(np.abs(a).max(initial=1)) or 1
    z = model.new_int_var(min(0, int(a.min(initial=0)) * k), amax * k, "z")
    for tot in totals:
        model.add(tot >= z)
    model.maximize(z)
    solver, status = run(model)
    cpsat = {**CP_SAT_PARAMS, "random_seed": seed, "max_deterministic_time": deterministic_time}
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = base
        sol.mode = "fair"
        sol.stats = {
            **base.stats,
            **lp,
            "cp_sat": cpsat,
            "fair_fallback": "CP-SAT found no solution; optimal kept",
        }
        return sol
    proved = status == cp_model.OPTIMAL
    zstar = int(solver.value(z))
    bound = int(solver.best_objective_bound)
    progress(65, "max total with the worst-off held")
    stage1 = np.array([solver.value(v) for v in x], dtype=bool)
    model2, x2, totals2 = build(stage1)  # stage 1's assignment is feasible for stage 2
    for tot in totals2:
        model2.add(tot >= zstar)
    # Tie-break below the total: P exceeds any Σ t·x (n·k arcs chosen, each t < R), so the total stays
    # first. R shrinks (to 1: no tie-break) when the coefficients would not fit in 62 bits.
    nk = n * k
    tie_range = TIE_RANGE
    while tie_range > 1 and amax * nk * tie_range * nk >= 2**60:
        tie_range //= 2
    ties = (
        np.random.default_rng([seed, 0xFA1]).integers(0, tie_range, size=rows.size) if tie_range > 1 else None
    )
    big = nk * tie_range
    if ties is None:
        model2.maximize(sum(int(a[e]) * x2[e] for e in range(rows.size)))
    else:
        model2.maximize(sum((int(a[e]) * big + int(ties[e])) * x2[e] for e in range(rows.size)))
    solver2, status2 = run(model2)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.array([solver2.value(v) for v in x2], dtype=bool)
        total_proved = status2 == cp_model.OPTIMAL
    else:
        chosen = stage1
        total_proved = False
    pairs = np.stack([rows[chosen], cols[chosen]], axis=1)
    ub = lp["lp_bound"]
    ub_int = None if ub is None else int(np.floor(ub * problem.scale + 1e-6))
    stats = {
        "maxmin_proved": proved,
        "maxmin_bound": bound / problem.scale,
        "maxmin_upper_bound_full": None if ub_int is None else ub_int / problem.scale,
        "maxmin_certified_full": bool(proved and ub_int is not None and zstar >= ub_int),
        "total_proved": total_proved,
        "tie_break_range": int(tie_range),
        "candidate_arcs": int(rows.size),
        **lp,
        "cp_sat": cpsat,
        "deterministic_time_used": round(float(solver.deterministic_time + solver2.deterministic_time), 2),
        "optimal_objective": base.objective,
        "optimal_worst_off": base.worst_off,
    }
    progress(100, "done")
    sol = build_solution(problem, pairs, None, "fair", started, stats)
    if sol.worst_off < base.worst_off:  # never worse than the optimal mode's worst-off
        base.mode = "fair"
        base.stats = {**stats, "fair_fallback": "optimal assignment had the better worst-off"}
        return base
    return sol
