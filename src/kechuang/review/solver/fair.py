"""Fair mode: the largest worst-off subject total (max-min, or leximin to a stated depth), then the
largest total with it held, and an upper bound on how fair any assignment of the round could be.

Pipeline (`solve_fair`):
1. The optimal flow (largest total; `optimal.py`): the starting assignment and the candidates' core.
2. Candidates: each subject's top-N experts, the optimal pairs, and each subject's best experts among
   those with spare capacity in the optimum (where chains end).
3. Max-min by exchange chains (`lifting.py`): the target worst-off rises from the optimal
   assignment's (the step doubling after a success, halving after a failure), each trial lifting every
   subject below it by the chain that loses the least total.
   Large rounds (more than `LARGE_SUBJECTS` subjects): the lifting starts instead from the bottleneck
   first slot (`start.py`: every subject one expert scoring at least θ, θ as large as the loads
   allow, the other slots by a min-cost flow) when its worst-off is higher, and each chain search is
   bounded (`MAX_POPS` experts settled, `STEP_COST` per link): one search no longer walks a whole
   saturated cluster.
   Leximin (depth d > 1): the worst subject is then held (its experts fixed) and the next worst is
   lifted the same way, d levels deep.
4. The total: subjects the optimum left below the target keep the lifted experts, every other subject
   is re-assigned by a min-cost flow, and any that falls below the target is fixed and the flow solved
   again (`lifting.keep_and_reoptimise`).
5. Small rounds (at most `EXACT_ARCS` candidate arcs): CP-SAT, hinted with the lifted assignment, proves
   (or improves) the worst-off, each leximin level and then the total, with a seeded tie-break.
6. The bound (`bounds.config_bound`): the configuration LP, proved infeasible above the bound by a
   certificate over every conflict-free pair of the round (not only the candidates); on small rounds
   also the plain LP relaxation (`bounds.maxmin_lp_bound`). The smaller is `maxmin_upper_bound_full`.
Deterministic: fixed orders everywhere; CP-SAT runs with a deterministic time limit and the seed.
"""

from __future__ import annotations

import time

import numpy as np

from .bounds import config_bound, maxmin_lp_bound
from .candidates import Graph, top_candidates
from .lifting import Lifter, ascend, keep_and_reoptimise
from .optimal import solve_optimal
from .problem import Problem, ProgressFn, Solution, build_solution, noop
from .start import bottleneck_start

FAIR_DETERMINISTIC_TIME = 20.0  # CP-SAT deterministic time units per stage (no wall clock: reproducible)
# Interleaved search is deterministic whatever the number of workers (OR-Tools: "the search is
# deterministic, independently of num_workers"); one worker alone is deterministic too but weaker here.
CP_SAT_PARAMS = {"num_workers": 2, "interleave_search": True}
TIE_RANGE = 1024  # tie-break weights are drawn from [0, TIE_RANGE)
EXACT_ARCS = 3000  # CP-SAT proves the stages on candidate graphs up to this many arcs
FAIR_TOL = 1e-3  # relative precision of the searches (lifting target and bound)
# Above this many subjects the configuration LP is solved over the worst-off subjects and their
# competitors only (`competing_subjects`), with at most BOUND_LARGE_ROUNDS LP rounds: dropping
# subjects relaxes the problem (the others' use of the experts is ignored), so the bound stays valid.
BOUND_MAX_SUBJECTS = 4000
BOUND_LARGE_ROUNDS = 24
# Large rounds (more than LARGE_SUBJECTS subjects) start the lifting from the bottleneck first slot
# (`start.py`) and bound each chain search. The chain search there: each link beyond the first costs STEP_COST × the search's tolerance (short chains
# first among nearly equal losses), and one search settles at most MAX_POPS experts (a count: the
# same input gives the same chains; without it a search on a large saturated cluster settles every
# expert of the cluster before it accepts the loss of ending at a free expert).
LARGE_SUBJECTS = 4000
STEP_COST = 10
MAX_POPS = 200


def fair_candidates(problem: Problem, base: Solution, n_top: int) -> Graph:
    graph = Graph(problem)
    graph.add(*top_candidates(problem, n_top))
    graph.add(base.pairs[:, 0], base.pairs[:, 1])
    add_slack(graph, base.loads(problem.n_experts))
    return graph


def add_slack(graph: Graph, loads: np.ndarray) -> int:
    """Each subject's best experts among those with spare capacity under `loads`: where the chains
    that lift the worst-off subjects end (a subject's own top-N is often saturated)."""
    problem = graph.p
    n, k = problem.n_subjects, problem.k
    slack = np.flatnonzero(loads < problem.max_load)
    if not slack.size:
        return 0
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
    sr, sc = top_candidates(sub, min(slack.size, max(2 * k, 20)))
    return graph.add(sr, slack[sc])


def solve_fair(
    problem: Problem,
    *,
    seed: int = 0,
    n_top: int | None = None,
    leximin_depth: int = 1,
    deterministic_time: float = FAIR_DETERMINISTIC_TIME,
    exact_arcs: int = EXACT_ARCS,
    bound: bool = True,
    bound_rounds: int = 80,
    progress: ProgressFn = noop,
) -> Solution:
    """First the largest worst-off subject total (then, with `leximin_depth` d > 1, the next worst, d
    levels deep), then the largest total with those held. See the module docstring for the steps.

    `stats`: `levels` (the lifted value of each leximin level), `maxmin_proved` (CP-SAT proved the
    worst-off optimal on the candidates; small rounds), `maxmin_upper_bound_full` (no assignment of the
    whole round has a better worst-off), `maxmin_gap` ((bound − worst-off) / bound),
    `maxmin_certified_full` (the worst-off reaches the bound), `total_proved` (small rounds),
    `second_worst`, `parameters` (what a re-run needs besides the input and the seed).
    """
    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    scale = problem.scale
    seed = int(seed) % 2**31
    depth = max(1, min(int(leximin_depth), n))
    progress(5, "optimal flow as a starting point")
    base = solve_optimal(problem)
    n_top = min(m, n_top or max(4 * k, 30))
    graph = fair_candidates(problem, base, n_top)
    base_ints = np.rint(base.scores * scale).astype(np.int64)
    base_totals = np.bincount(base.pairs[:, 0], weights=base_ints, minlength=n).astype(np.int64)
    tol = max(1, int(FAIR_TOL * max(1, int(base_totals.max(initial=1)) // k)))
    progress(12, "bottleneck first slot as a fairer start")
    start = (base.pairs, base_ints)
    start_kind = "optimal flow"
    large = n > LARGE_SUBJECTS
    first = bottleneck_start(graph) if large else None
    if first is not None:
        f_pairs, f_ints, theta = first
        f_totals = np.bincount(f_pairs[:, 0], weights=f_ints, minlength=n)
        if n and f_totals.min() > base_totals.min():
            start, start_kind = (f_pairs, f_ints), "bottleneck first slot"
            add_slack(graph, np.bincount(f_pairs[:, 1], minlength=m))  # where its chains end
    start_worst = int(np.bincount(start[0][:, 0], weights=start[1], minlength=n).min()) if n else 0
    progress(15, "max-min by exchange chains")
    lifter = Lifter(graph, *start)
    if large:
        lifter.step_cost = STEP_COST * tol
        lifter.max_pops = MAX_POPS
    # No subject can beat its own k best candidates: the top of the bisection.
    best_k = np.array([int(c[:k].sum()) for c in lifter.cand_a], dtype=np.int64)
    frozen = np.zeros(n, dtype=bool)
    levels: list[int] = []
    trials = 0
    for level in range(depth):
        lo = int(lifter.total[~frozen].min()) if level else int(base_totals.min())
        hi = int(best_k[~frozen].min())
        t, (pairs, ints), tr = ascend(lifter, lo, hi, tol=tol, frozen=frozen, start=start)
        trials += tr
        levels.append(t)
        start = (pairs, ints)
        lifter.reset(pairs, ints)
        if level + 1 < depth:
            free = np.flatnonzero(~frozen)
            worst = free[np.argmin(lifter.total[free])]
            frozen[worst] = True  # held at its value; the next level lifts the others
    lifted_pairs, lifted_ints = start
    progress(55, "largest total with the worst-off held")
    pairs, ints, rounds2 = keep_and_reoptimise(
        graph, lifted_pairs, lifted_ints, levels[-1], base_totals, frozen
    )
    stats: dict = {
        "levels": [v / scale for v in levels],
        "leximin_depth": depth,
        "lifting_trials": trials,
        "reoptimise_rounds": rounds2,
        "candidate_arcs": int(graph.rows.size),
        "lifting_start": start_kind,
        "lifting_start_worst_off": start_worst / scale,
        "maxmin_proved": False,
        "total_proved": False,
    }
    if graph.rows.size <= exact_arcs:
        progress(65, "CP-SAT: proving the stages")
        pairs, exact = _exact(problem, graph, pairs, seed, depth, deterministic_time)
        stats.update(exact)
    sol = build_solution(problem, pairs, None, "fair", started, stats)
    totals_int = np.rint(sol.subject_totals(n) * scale).astype(np.int64)
    worst = int(totals_int.min()) if n else 0
    if bound:
        progress(85, "upper bound on the worst-off (configuration LP)")
        large = n > BOUND_MAX_SUBJECTS
        seed_sets = list(_sets_of(sol.pairs, sol.scores, scale))
        bound_problem = problem
        if large:
            tight = competing_subjects(problem, sol.pairs, totals_int, worst)
            bound_problem = _rows_of(problem, tight)
            where = {int(i): r for r, i in enumerate(tight.tolist())}
            seed_sets = [(where[i], js, vs) for i, js, vs in seed_sets if i in where]
            stats["bound_subjects"] = int(tight.size)
        budget = min(bound_rounds, BOUND_LARGE_ROUNDS) if large else bound_rounds
        cb = config_bound(
            bound_problem,
            worst,
            tol=tol,
            seed_sets=seed_sets,
            certify_first=graph.rows.size <= exact_arcs,
            round_budget=budget,
        )
        ub = cb["config_bound_int"]
        stats.update({k_: v for k_, v in cb.items() if not k_.endswith("_int")})
        stats["maxmin_config_bound"] = ub / scale
        stats["maxmin_trivial_bound"] = cb["config_trivial_bound_int"] / scale
        stats["bound_method"] = (
            "configuration LP"
            + (" over the worst-off's competitors" if large else "")
            + (" (stopped at the round budget)" if cb["config_stopped_by_budget"] else "")
        )
        if graph.rows.size <= exact_arcs:
            lp = maxmin_lp_bound(problem, graph)
            stats["maxmin_lp_bound"] = lp["lp_bound"]
            if lp["lp_bound"] is not None:
                ub = min(ub, int(np.floor(lp["lp_bound"] * scale + 1e-6)))
        ub = max(ub, worst)
        stats["maxmin_upper_bound_full"] = ub / scale
        stats["maxmin_gap"] = (ub - worst) / ub if ub > 0 else 0.0
        stats["maxmin_certified_full"] = bool(ub <= worst)
    srt = np.sort(totals_int)
    stats["second_worst"] = float(srt[1] / scale) if n > 1 else None
    if "widened" in base.stats:
        stats["widened"] = base.stats["widened"]
    stats["optimal_objective"] = base.objective
    stats["optimal_worst_off"] = base.worst_off
    stats["parameters"] = {
        "leximin_depth": depth,
        "n_top": int(n_top),
        "exact_arcs": int(exact_arcs),
        "deterministic_time": float(deterministic_time),
        "bound_rounds": int(bound_rounds),
        "tolerance": FAIR_TOL,
    }
    sol.stats = stats
    sol.seconds = time.perf_counter() - started
    progress(100, "done")
    return sol


def competing_subjects(problem: Problem, pairs: np.ndarray, totals_int: np.ndarray, worst: int) -> np.ndarray:
    """The subjects the large-round bound keeps (sorted indices): the worst-off ones (total at the
    worst-off), then, hop by hop, every subject holding an expert that a kept subject lists with a
    positive score, while the set stays within BOUND_MAX_SUBJECTS. Any subset gives a valid bound
    (dropping subjects frees capacity: a relaxation); the competitors make it tight, since the
    worst-off alone would have their experts to themselves. Seeded with the worst-off only, the set is
    their own competition: on a clustered round, the worst-off's cluster (1,328 subjects at
    10,000×15,000, where seeding with every subject within 50% of the worst-off kept 3,996 across the
    three hot clusters for the same bound at about 3.5 times the CPU)."""
    n, m = problem.n_subjects, problem.n_experts
    keep = np.zeros(n, dtype=bool)
    keep[totals_int <= worst] = True
    if keep.sum() > BOUND_MAX_SUBJECTS:
        keep[:] = False
        keep[np.argsort(totals_int, kind="stable")[:BOUND_MAX_SUBJECTS]] = True
        return np.flatnonzero(keep)
    sc = problem.scores
    while True:
        rows = np.flatnonzero(keep)
        sub = sc[rows]
        listed = np.zeros(m, dtype=bool)
        listed[sub.indices[sub.data > 0]] = True
        grown = keep.copy()
        grown[pairs[listed[pairs[:, 1]], 0]] = True
        if grown.sum() == keep.sum() or grown.sum() > BOUND_MAX_SUBJECTS:
            return np.flatnonzero(keep)
        keep = grown


def _rows_of(problem: Problem, rows: np.ndarray) -> Problem:
    """The round restricted to some subjects (every expert, the same maximum loads; no minimum loads,
    which the bound ignores anyway)."""
    return Problem(
        int(rows.size),
        problem.n_experts,
        problem.scores[rows],
        problem.conflicts[rows],
        k=problem.k,
        max_load=problem.max_load,
        default=problem.default,
        scale=problem.scale,
    )


def _sets_of(pairs: np.ndarray, scores: np.ndarray, scale: int):
    """Each subject's assigned experts and their integer scores (the bound's first columns)."""
    if not pairs.size:
        return
    ints = np.rint(scores * scale).astype(np.int64)
    n = int(pairs[:, 0].max()) + 1
    starts = np.searchsorted(pairs[:, 0], np.arange(n + 1))
    for i in range(n):
        yield i, pairs[starts[i] : starts[i + 1], 1], ints[starts[i] : starts[i + 1]]


def _exact(problem: Problem, graph: Graph, hint_pairs: np.ndarray, seed: int, depth: int, det_time: float):
    """CP-SAT over the candidate graph, hinted: stage r = 1..depth maximises the sum of the r smallest
    subject totals (S_r = max_u r·u − Σ_i max(0, u − T_i)) with the earlier S_q held, so the sorted
    totals are maximised lexicographically; the last stage maximises the total (then a seeded
    tie-break) with every S_r held. A stage that finds nothing keeps the previous assignment."""
    from ortools.sat.python import cp_model

    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    rows, cols = graph.rows, graph.cols
    a = graph.arc_scores()
    amax = int(np.abs(a).max(initial=1)) or 1
    lo_t, hi_t = min(0, int(a.min(initial=0)) * k), amax * k
    params = {**CP_SAT_PARAMS, "random_seed": seed, "max_deterministic_time": det_time}
    held: list[int] = []  # S_r values found
    hint = np.isin(rows * m + cols, hint_pairs[:, 0] * m + hint_pairs[:, 1])
    proved_levels: list[bool] = []
    det_used = 0.0

    def build(hint_mask):
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
                model.add_bool_or([])
        totals = [sum(int(a[e]) * x[e] for e in by_subject[i]) for i in range(n)]
        for e in range(rows.size):
            model.add_hint(x[e], bool(hint_mask[e]))
        return model, x, totals

    def smallest_sum(model, totals, r):
        u = model.new_int_var(lo_t, hi_t, "")
        ex = [model.new_int_var(0, hi_t - lo_t, "") for _ in range(n)]
        for i in range(n):
            model.add(ex[i] >= u - totals[i])
        return r * u - sum(ex)

    def run(model):
        solver = cp_model.CpSolver()
        for key, value in params.items():
            setattr(solver.parameters, key, value)
        return solver, solver.solve(model)

    for r in range(1, depth + 1):
        model, x, totals = build(hint)
        for q, v in enumerate(held, start=1):
            model.add(smallest_sum(model, totals, q) >= v)
        obj = smallest_sum(model, totals, r)
        model.maximize(obj)
        solver, status = run(model)
        det_used += solver.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        proved_levels.append(status == cp_model.OPTIMAL)
        held.append(int(solver.objective_value))
        hint = np.array([solver.value(v) for v in x], dtype=bool)
    model, x, totals = build(hint)
    for q, v in enumerate(held, start=1):
        model.add(smallest_sum(model, totals, q) >= v)
    nk = n * k
    tie_range = TIE_RANGE
    while tie_range > 1 and amax * nk * tie_range * nk >= 2**60:
        tie_range //= 2
    ties = (
        np.random.default_rng([seed, 0xFA1]).integers(0, tie_range, size=rows.size) if tie_range > 1 else None
    )
    big = nk * tie_range
    if ties is None:
        model.maximize(sum(int(a[e]) * x[e] for e in range(rows.size)))
    else:
        model.maximize(sum((int(a[e]) * big + int(ties[e])) * x[e] for e in range(rows.size)))
    solver, status = run(model)
    det_used += solver.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.array([solver.value(v) for v in x], dtype=bool)
    else:
        chosen = hint
    pairs = np.stack([rows[chosen], cols[chosen]], axis=1)
    return pairs, {
        "maxmin_proved": bool(proved_levels[:1] == [True]),
        "leximin_proved": bool(len(proved_levels) == depth and all(proved_levels)),
        "total_proved": status == cp_model.OPTIMAL,
        "tie_break_range": int(tie_range),
        "cp_sat": params,
        "deterministic_time_used": round(float(det_used), 2),
    }
