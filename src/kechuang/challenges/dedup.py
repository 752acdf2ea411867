"""Duplicate check (查重), the pure part: shingles of an application's text, MinHash signatures and LSH band
keys (datasketch), exact Jaccard, the matching passages side by side, and the overlap of the people.

No database here: `services/dedup.py` keeps the index (one row per band key) and the pairs found;
`benchmarks/dedup/` runs the same functions over the national dataset.

Text: the application's title, goals (its milestones and their targets) and plan. The challenge's own title
is taken out first: every application to a challenge quotes it, and it is not the applicant's work. Chinese
is compared by character n-grams (n = 3) of the text with punctuation and spaces removed — no word list to
keep, and a near-copy with a few characters changed keeps most of its 3-grams.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

NUM_PERM = 128
SHINGLE = 3
SEED = 1
THRESHOLD = 0.6  # Jaccard of the texts' shingles at or above which two applications are a pair to check
# Bands × rows of the LSH: a pair is a candidate when one band of its signatures agrees, with probability
# 1 − (1 − J^ROWS)^BANDS for Jaccard J. datasketch's optimum for 0.6 (18 × 7) finds a pair at the threshold
# only 40% of the time (J = 0.7: 79%); 21 × 6 finds it 63% of the time, at J = 0.7 93%, at 0.8 99.85%;
# 32 × 4 (98.8% at 0.6) makes a quarter of the national dataset's pairs candidates (benchmarks/dedup).
# Every candidate is verified by its exact Jaccard. `lsh_params` gives datasketch's choice for other weights.
BANDS, ROWS = 21, 6


def lsh_params(
    threshold: float = THRESHOLD, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    return _optimal_param(threshold, NUM_PERM, fp_weight, fn_weight)


def candidate_probability(j: float) -> float:
    return 1 - (1 - j**ROWS) ** BANDS


PEOPLE_THRESHOLD = 0.5  # share of the smaller team in common (leader included) that makes a pair

_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE = re.compile(r"[^。！？；;!?\n]+[。！？；;!?]?")


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, and only letters, digits and CJK characters kept."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(_KEEP.findall(text))


def document(
    *, title: str, goals: Iterable[str] = (), plan: str = "", boilerplate: Iterable[str] = ()
) -> str:
    """The text compared: title, goals and plan, with the boilerplate (the challenge's title) taken out."""
    text = "\n".join([title or "", *[g for g in goals if g], plan or ""])
    for b in boilerplate:
        if b and len(b) >= 4:
            text = text.replace(b, "")
    return text


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    t = normalise(text)
    if len(t) < n:
        return {t} if t else set()
    return {t[i : i + n] for i in range(len(t) - n + 1)}


def signature(items: Iterable[str]) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint64 values) of a set of shingles."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in items])
    return m.hashvalues.astype(np.uint64)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (band number mixed in), for the index table."""
    out = []
    for b in range(BANDS):
        chunk = np.ascontiguousarray(sig[b * ROWS : (b + 1) * ROWS]).tobytes()
        h = hashlib.blake2b(chunk, digest_size=8, person=b.to_bytes(2, "little") + b"kc").digest()
        out.append(int.from_bytes(h, "little", signed=True))
    return out


def estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text or "") if normalise(s)]


@dataclass(frozen=True)
class Passage:
    left: str
    right: str
    score: float  # Jaccard of the two sentences' shingles


def passages(left: str, right: str, *, min_score: float = 0.3, limit: int = 20) -> list[Passage]:
    """The matching passages side by side: each sentence of `left` with its closest sentence of `right`
    when they share at least `min_score` of their shingles, best first (each right sentence used once)."""
    ls = [(s, shingles(s)) for s in sentences(left)]
    rs = [(s, shingles(s)) for s in sentences(right)]
    scored = sorted(
        ((jaccard(a, b), i, j) for i, (_s, a) in enumerate(ls) for j, (_t, b) in enumerate(rs)),
        reverse=True,
    )
    used_l, used_r, out = set(), set(), []
    for score, i, j in scored:
        if score < min_score or len(out) >= limit:
            break
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        out.append(Passage(ls[i][0], rs[j][0], round(score, 3)))
    return out


def people_key(name: str) -> str:
    return re.sub(r"[\s.·•]", "", name or "").lower()


def people_overlap(
    a: Sequence[str], b: Sequence[str], *, keys_a=None, keys_b=None
) -> tuple[list[str], float]:
    """The people two teams (leaders included) share, and their share of the smaller team. A person is known
    by `keys_*` when given (e.g. name at unit: two people of one name at two units are two people), else by
    the name."""
    keys_a = keys_a or [people_key(n) for n in a]
    keys_b = keys_b or [people_key(n) for n in b]
    ka = {k: n for k, n in zip(keys_a, a) if k}
    kb = {k for k in keys_b if k}
    shared = sorted(ka[k] for k in ka.keys() & kb)
    smaller = min(len(ka), len(kb)) or 1
    return shared, round(len(shared) / smaller, 3)


def candidate_pairs(keys_by_doc: dict[int, list[int]]) -> set[tuple[int, int]]:
    """All pairs of documents sharing a band key (the LSH candidates), smaller id first."""
    buckets: dict[int, list[int]] = {}
    for doc, keys in keys_by_doc.items():
        for k in keys:
            buckets.setdefault(k, []).append(doc)
    out = set()
    for docs in buckets.values():
        if len(docs) > 1:
            docs.sort()
            for i in range(len(docs)):
                for j in range(i + 1, len(docs)):
                    out.add((docs[i], docs[j]))
    return out
