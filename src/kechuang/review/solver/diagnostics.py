"""Why a round (or a pruned candidate set) has no assignment, in words.

Counting first (all reviews against all capacity; each subject's conflict-free experts against k), then
a Hall-type deficiency from a maximum flow: source → subject (capacity k) → expert (one per allowed
pair) → sink (the expert's maximum load). When the flow falls short of n·k, the source side of a
minimum cut is a set of subjects whose allowed experts cannot take all their reviews: together they
need k per subject, and the experts they may have can give them only the cut's worth. Minimum loads are
left out of the flow (they are checked by counting).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .problem import Problem, listed_mask

FULL_PAIRS = 5 * 10**6  # up to this many pairs the whole round is examined, else the candidate arcs


@dataclass
class Diagnosis:
    feasible: bool
    need: int  # reviews wanted (n·k)
    max_flow: int  # reviews that can be placed
    short_subjects: list[tuple[int, int]] = field(default_factory=list)  # (subject, allowed experts) < k
    blocked: list[int] = field(default_factory=list)  # subjects on the source side of a minimum cut
    blocked_need: int = 0
    blocked_room: int = 0
    blocked_experts: int = 0
    counting: list[str] = field(default_factory=list)
    scope: str = "round"  # "round" (every conflict-free pair) or "candidates"
    k: int = 0

    def as_dict(self, names: list[str] | None = None) -> dict:
        return {
            "feasible": self.feasible,
            "scope": self.scope,
            "need": self.need,
            "max_flow": self.max_flow,
            "short_subjects": self.short_subjects[:50],
            "blocked_subjects": self.blocked[:50],
            "text": self.text(names),
        }

    def text(self, names: list[str] | None = None, limit: int = 8) -> str:
        """The diagnosis as sentences; `names` turns subject indices into names."""

        def name(i: int) -> str:
            return names[i] if names is not None else f"#{i}"

        def some(idx: list[int]) -> str:
            shown = ", ".join(name(i) for i in idx[:limit])
            return shown + (f" and {len(idx) - limit} more" if len(idx) > limit else "")

        if self.feasible:
            return "an assignment exists"
        where = "among the candidates" if self.scope == "candidates" else "without a conflict"
        out = list(self.counting)
        if self.short_subjects:
            parts = [f"{name(i)} has {c}" for i, c in self.short_subjects[:limit]]
            more = len(self.short_subjects) - limit
            out.append(
                f"too few conflict-free experts{' among the candidates' if self.scope == 'candidates' else ''}"
                f" (k={self.k}): " + "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
            )
        if self.blocked and self.max_flow < self.need:
            subjects = "1 subject" if len(self.blocked) == 1 else f"{len(self.blocked)} subjects"
            experts = "expert" if self.blocked_experts == 1 else "experts"
            out.append(
                f"load capacity exhausted: {subjects} ({some(self.blocked)}) need {self.blocked_need} "
                f"reviews, but the {self.blocked_experts} {experts} they may have {where} can take only "
                f"{self.blocked_room} of them (short by {self.need - self.max_flow})"
            )
        return "; ".join(out) if out else "no assignment satisfies k, the loads and the conflicts"


def diagnose(problem: Problem, rows: np.ndarray | None = None, cols: np.ndarray | None = None) -> Diagnosis:
    """Whether k experts per subject fit the loads over the given arcs (default: every conflict-free
    pair of the round, or the round's listed pairs when it is too large to list them all), and if not,
    why."""
    from ortools.graph.python import max_flow

    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    scope = "candidates" if rows is not None else "round"
    if rows is None:
        if n * m <= FULL_PAIRS:
            rows, cols = np.divmod(np.arange(n * m, dtype=np.int64), m)
        else:
            sc = problem.scores
            rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(sc.indptr))
            cols = sc.indices.astype(np.int64)
            scope = "candidates"
        keep = ~listed_mask(problem.conflicts, rows, cols)
        rows, cols = rows[keep], cols[keep]
    need = n * k
    counting = []
    cap = int(problem.max_load.sum())
    if need > cap:
        counting.append(
            f"{n} subjects × k={k} = {need} reviews, but the experts' maximum loads add up to {cap}"
        )
    if int(problem.min_load.sum()) > need:
        counting.append(
            f"the experts' minimum loads add up to {int(problem.min_load.sum())}, more than the {need} reviews"
        )
    degree = np.bincount(rows, minlength=n)
    short = [(int(i), int(degree[i])) for i in np.flatnonzero(degree < k)]
    mf = max_flow.SimpleMaxFlow()
    src, sink = n + m, n + m + 1
    tails = np.concatenate([np.full(n, src), rows, n + np.arange(m)])
    heads = np.concatenate([np.arange(n), n + cols, np.full(m, sink)])
    caps = np.concatenate([np.full(n, k), np.ones(rows.size, dtype=np.int64), problem.max_load])
    mf.add_arcs_with_capacity(tails.astype(np.int64), heads.astype(np.int64), caps.astype(np.int64))
    mf.solve(src, sink)
    flow = int(mf.optimal_flow())
    diag = Diagnosis(
        feasible=flow == need and not counting,
        need=need,
        max_flow=flow,
        short_subjects=short,
        counting=counting,
        scope=scope,
        k=k,
    )
    if flow < need:
        side = np.array(mf.get_source_side_min_cut(), dtype=np.int64)
        subj = np.sort(side[side < n])
        diag.blocked = subj.tolist()
        diag.blocked_need = int(k * subj.size)
        diag.blocked_room = int(diag.blocked_need - (need - flow))
        in_s = np.zeros(n, dtype=bool)
        in_s[subj] = True
        diag.blocked_experts = int(np.unique(cols[in_s[rows]]).size) if rows.size else 0
    return diag
