"""`kechuang assign`: the OpenReview file mode (no database) and the round mode."""

import csv
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.review.models import Assignment


def write_round(tmp_path, n=6, m=7, seed=0):
    rng = np.random.default_rng(seed)
    scores = tmp_path / "scores.csv"
    cons = tmp_path / "constraints.csv"
    conflicts = set()
    with open(scores, "w", newline="") as fh:
        w = csv.writer(fh)
        for i in range(n):
            for j in range(m):
                w.writerow([f"app{i}", f"~Expert{j}", f"{rng.random():.6f}"])
    with open(cons, "w", newline="") as fh:
        w = csv.writer(fh)
        for i in range(n):
            j = (i * 3) % m
            conflicts.add((f"app{i}", f"~Expert{j}"))
            w.writerow([f"app{i}", f"~Expert{j}", -1])
    return scores, cons, conflicts


def test_file_mode_touches_no_database(tmp_path, django_assert_max_num_queries):
    scores, cons, conflicts = write_round(tmp_path)
    out = tmp_path / "out.csv"
    stats = tmp_path / "stats.json"
    with django_assert_max_num_queries(0):
        call_command(
            "assign",
            scores=str(scores),
            constraints=str(cons),
            k=3,
            max_load=3,
            out=str(out),
            stats=str(stats),
        )
    rows = list(csv.reader(out.read_text().splitlines()))
    assert len(rows) == 18
    assert not {(a, e) for a, e, _ in rows} & conflicts
    per_expert = {}
    for _a, e, _s in rows:
        per_expert[e] = per_expert.get(e, 0) + 1
    assert max(per_expert.values()) <= 3
    data = json.loads(stats.read_text())
    assert data["objective"] == pytest.approx(sum(float(s) for _, _, s in rows), abs=1e-6)
    assert data["solver_certified"] is True


def test_file_mode_fair_and_random(tmp_path):
    scores, cons, conflicts = write_round(tmp_path, seed=3)
    outs = []
    for mode, seed in (("fair", 0), ("random", 7), ("random", 7)):
        out = tmp_path / f"{mode}{len(outs)}.csv"
        call_command(
            "assign",
            scores=str(scores),
            constraints=str(cons),
            k=2,
            max_load=2,
            mode=mode,
            seed=seed,
            out=str(out),
        )
        outs.append(sorted(tuple(r[:2]) for r in csv.reader(out.read_text().splitlines())))
    assert outs[1] == outs[2]
    for rows in outs:
        assert not set(rows) & conflicts and len(rows) == 12


def test_file_mode_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,e,0.5\nb,e,notanumber\n")
    with pytest.raises(CommandError, match="not a number"):
        call_command("assign", scores=str(bad), out=str(tmp_path / "o.csv"))
    ok = tmp_path / "ok.csv"
    ok.write_text("a,e,0.5\nb,e,0.4\n")
    with pytest.raises(CommandError, match="infeasible"):
        call_command("assign", scores=str(ok), k=1, max_load=1, out=str(tmp_path / "o.csv"))
    with pytest.raises(CommandError):
        call_command("assign")


def test_round_mode(staff, small_round, capsys):
    rnd, _, _ = small_round
    call_command("assign", str(rnd.pk), actor=staff.username)
    assert Assignment.objects.filter(round=rnd).count() == 8
    call_command("assign", str(rnd.pk), verify=True)
    out = capsys.readouterr().out
    assert '"objective_matches": true' in out and '"same_pairs": true' in out


def test_interchange_reads_headers_and_picks_an_exact_scale(tmp_path):
    from kechuang.review import interchange, solver

    scores = tmp_path / "s.csv"
    scores.write_text("application,expert,score\na,x,0.1234567\na,y,0.1234566\nb,x,0.5\nb,y,0.5\n")
    data = interchange.read(str(scores), None, k=1, max_load=1)
    assert data.subjects == ["a", "b"] and data.experts == ["x", "y"]
    assert data.problem.scale == 10**7
    sol = solver.solve(data.problem)
    assert sol.objective_int == 6234567  # a→x (0.1234567) + b→y (0.5), exact at 10^7


def test_interchange_output_keeps_openreview_ids_and_guards_formulas(tmp_path):
    """The matcher's output is for programs: an OpenReview id (URL-safe alphabet) starting with "-" is written
    as read; an id that starts like a formula otherwise gets the "'" the CSV exports put there, so a
    spreadsheet opening the file runs nothing (docs/security.md §45)."""
    from kechuang.review import interchange, solver

    scores = tmp_path / "s.csv"
    scores.write_text('-aB3xYz9Qw,~Ann_Lee1,0.5\n"=HYPERLINK(""http://evil.example"",""x"")",@SUM(1),0.25\n')
    data = interchange.read(str(scores), None, k=1, max_load=1)
    out = tmp_path / "a.csv"
    interchange.write(str(out), data, solver.solve(data.problem))
    rows = sorted(csv.reader(out.open(encoding="utf-8")))
    assert rows == [
        ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(1)", "0.25"],
        ["-aB3xYz9Qw", "~Ann_Lee1", "0.5"],
    ]


def test_the_file_mode_writes_only_the_operators_own_ids_and_reads_no_database(tmp_path, capsys):
    """The interchange output is the operator's round trip (docs/security.md §32): every id in it is one the
    input files held, byte for byte, and the file mode never opens the database (this test has no database
    access: pytest-django refuses any query), so no object id, name or code of the site's can reach the file
    or the command's output; nothing of it is served over HTTP or shown to experts or staff."""
    scores = tmp_path / "s.csv"
    scores.write_text("app-1,exp-a,0.9\napp-1,exp-b,0.1\napp-2,exp-a,0.2\napp-2,exp-b,0.8\n")
    constraints = tmp_path / "c.csv"
    constraints.write_text("app-2,exp-a,-1\n")
    out = tmp_path / "a.csv"
    call_command("assign", scores=str(scores), constraints=str(constraints), k=1, max_load=1, out=str(out))
    rows = list(csv.reader(out.open()))
    assert sorted((a, e) for a, e, _s in rows) == [("app-1", "exp-a"), ("app-2", "exp-b")]
    ids = {"app-1", "app-2", "exp-a", "exp-b"}
    assert {a for a, _e, _s in rows} | {e for _a, e, _s in rows} <= ids
    said = capsys.readouterr().out
    assert "2 rows" in said and not any(i in said for i in ids)


TRIPLE_CELL = st.one_of(
    st.sampled_from(["a1", "e1", "0.5", "-1", "nan", "inf", "1e400", "", " ", "分数", "０.５", '"']),
    st.text(max_size=6),
)


@st.composite
def triple_files(draw):
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    rows = draw(st.lists(st.lists(TRIPLE_CELL, max_size=4), max_size=8))
    out = "\n".join(",".join(r) for r in rows)
    return out.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])), "replace")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scores=triple_files(), constraints=st.one_of(st.none(), triple_files()))
def test_any_scores_file_is_read_or_refused_with_its_file_and_line(tmp_path, scores, constraints):
    """`kechuang assign --scores --constraints`: any bytes give a problem or a ValueError naming the file."""
    from kechuang.review import interchange

    scores_path = tmp_path / "s.csv"
    scores_path.write_bytes(scores)
    constraints_path = None
    if constraints is not None:
        constraints_path = tmp_path / "c.csv"
        constraints_path.write_bytes(constraints)
    try:
        data = interchange.read(str(scores_path), constraints_path and str(constraints_path), k=1, max_load=2)
    except ValueError as exc:
        assert "s.csv" in str(exc) or "c.csv" in str(exc), exc
        return
    problem = data.problem
    assert problem.scores.shape == (len(data.subjects), len(data.experts))
    assert np.isfinite(problem.scores.data).all()


PLAIN_CELL = st.one_of(
    st.sampled_from(
        ["a1", " a1", "e1", "0.5", "-1", "nan", "inf", "1e400", "", " ", "分数", "０.５", "x\ty"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=',"\r\n'), max_size=6),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(PLAIN_CELL, min_size=2, max_size=4), min_size=1, max_size=8),
    header=st.booleans(),
    newline_at_end=st.booleans(),
)
def test_plain_files_are_read_whole_exactly_as_the_csv_module_reads_them(
    tmp_path, rows, header, newline_at_end, monkeypatch
):
    """The fast path (`_plain_triples`, the file split whole) gives the same ids in the same order
    and the same values as the csv module's reading, or leaves the file to it (None)."""
    from kechuang.review import interchange

    text = "\n".join(",".join(r) for r in ([["application", "expert", "score"]] if header else []) + rows)
    path = tmp_path / "s.csv"
    path.write_text(text + ("\n" if newline_at_end else ""), encoding="utf-8")
    subj: dict = {"seen": 0}
    exp: dict = {}
    fast = interchange._plain_triples(str(path), subj, exp)
    if fast is None:
        assert subj == {"seen": 0} and exp == {}  # untouched: the csv path reads it
        return
    with monkeypatch.context() as mp:
        mp.setattr(interchange, "_plain_triples", lambda *a: None)
        subj2: dict = {"seen": 0}
        exp2: dict = {}
        slow = interchange._read_triples(str(path), "score", subj2, exp2)
    assert list(subj) == list(subj2) and list(exp) == list(exp2)
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and a.tolist() == b.tolist()


def test_verify_reruns_a_stored_fair_round_byte_for_byte(staff, small_round, capsys):
    from kechuang.review import services

    rnd, _, _ = small_round
    rnd.mode = "fair"
    rnd.save(update_fields=["mode"])
    call_command("assign", str(rnd.pk), actor=staff.username)
    capsys.readouterr()
    rnd.refresh_from_db()
    stored = rnd.solver_result
    assert stored["parameters"]["mode"] == "fair" and stored["parameters"]["leximin_depth"] == 1
    assert stored["parameters"]["seed"] == 0 and len(stored["assignment_digest"]) == 64
    assert stored["stats"]["maxmin_upper_bound_full"] >= stored["worst_off"] - 1e-9
    call_command("assign", str(rnd.pk), verify=True)
    out = json.loads(capsys.readouterr().out)
    assert (
        out["same_bytes"] is True and out["input_hash_matches"] is True and out["objective_matches"] is True
    )
    # A stored result that differs from what the input gives is caught.
    rnd.solver_result = {**stored, "assignment_digest": "0" * 64}
    rnd.save(update_fields=["solver_result"])
    assert services.round_rerun_check(round=rnd)["same_bytes"] is False


def test_widening_fallback_is_audited_on_a_round(staff, small_round, monkeypatch):
    from kechuang.core.models import AuditEvent
    from kechuang.review import solver
    from kechuang.review.services import assignment

    rnd, _, _ = small_round
    real = solver.solve

    def narrow(problem, **kw):  # the optimal mode over each subject's single best expert first
        sol = solver.solve_optimal(problem, n_top=1)
        solver.verify(problem, sol)
        return sol if "widened" in sol.stats else real(problem, **kw)

    monkeypatch.setattr(assignment.solver, "solve", narrow)
    call_command("assign", str(rnd.pk), actor=staff.username)
    events = AuditEvent.objects.filter(action="round.assign_widened", object_id=str(rnd.pk))
    assert events.count() == 1
    after = events.get().after
    assert after["arcs_added"] > 0 and "among the candidates" in after["reason"]["text"]
