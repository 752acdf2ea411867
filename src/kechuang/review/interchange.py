"""The OpenReview matcher's CSV interchange format, read and written without the database.

scores.csv: application,expert,score (no header); constraints.csv: application,expert,-1 for a
conflict (other values are ignored); the output: application,expert,score per assigned pair.
Scores are scaled to integers by 10**d, the smallest d from 6 to 9 at which every score becomes an
integer, so the solver's optimum is exact for scores written with up to nine decimals.

`write` passes every id through `core.excel.csv_id_cell`, the exports' formula guard for a file for programs
(docs/security.md §45): an id of OpenReview's URL-safe alphabet (letters, digits, "_", "-", "~", ".") is
written byte for byte — it may start with "-" and must match in the matcher's tools, and no such cell can call
a function in a spreadsheet — while any other id that starts like a formula ("=HYPERLINK(…)", "@SUM(…)") gets
the leading "'" the CSV exports put there, so opening the file in a spreadsheet runs nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .solver import Problem, Solution


@dataclass
class Interchange:
    problem: Problem
    subjects: list[str]
    experts: list[str]


def _scale_for(values: np.ndarray) -> int:
    """The smallest 10**d (6 <= d <= 9) at which every score is an integer after scaling: exact
    integer costs for scores written with up to nine decimals."""
    for d in range(6, 10):
        scaled = values * 10**d
        if np.all(np.abs(scaled - np.rint(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled)) * 1e-3):
            return 10**d
    return 10**9


def _read_triples(path: str, what: str, subj: dict, exp: dict):
    """(application index, expert index, value) arrays of a CSV file, ids indexed in `subj` and `exp` in
    order of appearance. A first line whose value is not numeric is a header and skipped; a short line
    or a non-numeric value raises ValueError with its line number. Plain files (no quotes, no carriage
    returns, no blank lines, three fields on every line) are split whole (`_plain_triples`, several
    times faster on a million rows); any other file, or any error, is read by the csv module in chunks."""
    got = _plain_triples(path, subj, exp)
    if got is not None:
        return got
    rows, cols, vals = [], [], []
    buf_a, buf_e, buf_v, buf_line = [], [], [], []

    def flush():
        try:
            v = np.array(buf_v, dtype=np.float64)
        except ValueError:
            for line, x in zip(buf_line, buf_v):
                try:
                    float(x)
                except ValueError:
                    raise ValueError(f"{path}:{line}: {what} {x!r} is not a number")
            raise
        rows.append(np.fromiter((subj.setdefault(a.strip(), len(subj)) for a in buf_a), np.int64, len(buf_a)))
        cols.append(np.fromiter((exp.setdefault(e.strip(), len(exp)) for e in buf_e), np.int64, len(buf_e)))
        if not np.isfinite(v).all():
            line = buf_line[int(np.flatnonzero(~np.isfinite(v))[0])]
            raise ValueError(f"{path}:{line}: {what} is not a finite number")
        vals.append(v)
        buf_a.clear(), buf_e.clear(), buf_v.clear(), buf_line.clear()

    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line_no, rec in enumerate(_records(fh, path), start=1):
            if len(rec) < 3:
                if not rec or not "".join(rec).strip():
                    continue
                raise ValueError(f"{path}:{line_no}: expected application,expert,{what}")
            if line_no == 1:
                try:
                    float(rec[2])
                except ValueError:
                    continue  # a header line
            buf_a.append(rec[0])
            buf_e.append(rec[1])
            buf_v.append(rec[2])
            buf_line.append(line_no)
            if len(buf_v) >= 200_000:
                flush()
    if buf_v:
        flush()
    if not vals:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _plain_triples(path: str, subj: dict, exp: dict):
    """The triples of a plain file, as `_read_triples` reads them (same ids, same order of appearance,
    same values), or None when the file is not plain or has any error (the csv path then reads it and
    names the line). `subj` and `exp` are changed only when the file is read here."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except (UnicodeDecodeError, ValueError):
        return None
    if '"' in text or "\r" in text or "\n\n" in text or text.startswith("\n") or not text.strip():
        return None
    body = text[:-1] if text.endswith("\n") else text
    raw = np.frombuffer(body.encode("utf-8"), dtype=np.uint8)
    ends = np.concatenate([[-1], np.flatnonzero(raw == 10), [raw.size]])
    per_line = np.diff(np.searchsorted(np.flatnonzero(raw == 44), ends))
    if (per_line != 2).any():  # every line exactly two commas: three fields
        return None
    flat = body.replace("\n", ",").split(",")
    apps, experts, values = flat[0::3], flat[1::3], flat[2::3]
    try:
        float(values[0])
    except ValueError:  # a header line
        apps, experts, values = apps[1:], experts[1:], values[1:]
    if not values:
        return None
    try:
        v = np.array(values, dtype=np.float64)
    except ValueError:
        return None
    if not np.isfinite(v).all():
        return None
    return _index(apps, subj), _index(experts, exp), v


def _index(ids, known: dict) -> np.ndarray:
    """Each id's index in `known` (stripped; a new id gets the next index, in order of appearance)."""
    raw = dict.fromkeys(ids)  # distinct raw ids, in order of first appearance
    for r in raw:
        raw[r] = known.setdefault(r.strip(), len(known))
    return np.fromiter(map(raw.__getitem__, ids), np.int64, len(ids))


def _records(fh, path: str):
    """CSV records of a text file; a file that is not UTF-8 or not CSV is a ValueError naming it."""
    reader = csv.reader(fh)
    try:
        yield from reader
    except UnicodeDecodeError:
        raise ValueError(f"{path}:{reader.line_num + 1}: not UTF-8 text") from None
    except csv.Error as exc:
        raise ValueError(f"{path}:{reader.line_num}: {exc}") from None


def read(
    scores_path: str,
    constraints_path: str | None,
    *,
    k: int,
    max_load: int,
    min_load: int = 0,
    default: float = 0.0,
) -> Interchange:
    """Read an OpenReview-format round. Applications and experts are indexed in order of appearance."""
    subj: dict[str, int] = {}
    exp: dict[str, int] = {}
    rows, cols, vals = _read_triples(scores_path, "score", subj, exp)
    crow = np.zeros(0, dtype=np.int64)
    ccol = np.zeros(0, dtype=np.int64)
    if constraints_path:
        cr, cc, cv = _read_triples(constraints_path, "constraint", subj, exp)
        crow, ccol = cr[cv == -1], cc[cv == -1]
    n, m = len(subj), len(exp)
    scores = sp.csr_matrix((vals, (rows, cols)), shape=(n, m))
    conflicts = sp.csr_matrix((np.ones(crow.size, dtype=bool), (crow, ccol)), shape=(n, m))
    scale = _scale_for(np.concatenate([vals, [default]]))
    problem = Problem(
        n, m, scores, conflicts, k=k, min_load=min_load, max_load=max_load, default=default, scale=scale
    )
    return Interchange(problem, list(subj), list(exp))


def write(path: str, data: Interchange, solution: Solution) -> int:
    """Write application,expert,score rows; returns how many."""
    from kechuang.core.excel import csv_id_cell

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for (i, j), s in zip(solution.pairs.tolist(), solution.scores.tolist()):
            w.writerow([csv_id_cell(data.subjects[i]), csv_id_cell(data.experts[j]), repr(round(s, 9))])
    return int(solution.pairs.shape[0])
