"""Overlap analysis: which platforms look like merge candidates, and why. Pure (no ORM).

Two live platforms are proposed when they share a host unit and overlap in disciplines or industries, or
have similar missions (cosine similarity of jieba TF-IDF vectors). Each proposal carries its reasons.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

import jieba
from django.utils.translation import gettext as _

from kechuang.core import disciplines, industries
from kechuang.core.lists import listed

from .search import _PUNCT

STOP = frozenset(
    [
        "的",
        "和",
        "与",
        "及",
        "等",
        "在",
        "为",
        "对",
        "是",
        "了",
        "有",
        "中",
        "开展",
        "研究",
        "领域",
        "方向",
        "技术",
        "平台",
        "重点",
        "建设",
    ]
)


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    host_id: int
    host_name: str
    disciplines: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    mission: str = ""
    # the name shown (the reader's language: Platform.local_name); `name` (the Chinese) is what is compared
    shown: str = ""


@dataclass
class Candidate:
    a: Item
    b: Item
    score: float
    discipline_overlap: float
    industry_overlap: float
    mission_similarity: float
    shared_disciplines: list[str] = field(default_factory=list)
    shared_industries: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def jaccard(a, b) -> float:
    """|a∩b| / |a∪b|, 0 for two empty sets."""
    a, b = set(a), set(b)
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _tokens(text: str) -> list[str]:
    out = []
    for w in jieba.lcut(text or ""):
        w = _PUNCT.sub("", w).lower()
        if len(w) >= 2 and w not in STOP:
            out.append(w)
    return out


def tfidf_vectors(texts: list[str]) -> list[dict[str, float]]:
    """One L2-normalised TF-IDF vector per text (smoothed idf: ln((1+n)/(1+df)) + 1)."""
    docs = [Counter(_tokens(t)) for t in texts]
    n = len(docs)
    df = Counter(w for d in docs for w in d)
    vectors = []
    for d in docs:
        v = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        vectors.append({w: x / norm for w, x in v.items()} if norm else {})
    return vectors


def cosine(u: dict[str, float], v: dict[str, float]) -> float:
    """Cosine of two normalised sparse vectors."""
    if len(u) > len(v):
        u, v = v, u
    return sum(x * v.get(w, 0.0) for w, x in u.items())


def merge_candidates(
    items: list[Item], *, min_score: float = 0.35, exclude: set[tuple[int, int]] | frozenset = frozenset()
) -> list[Candidate]:
    """Pairs (a.id < b.id) with the same host whose weighted overlap (disciplines 0.3, industries 0.3,
    mission 0.4) reaches `min_score`, best first. Pairs in `exclude` (already decided) are skipped."""
    vectors = dict(
        zip([i.id for i in items], tfidf_vectors([i.mission or i.name for i in items]), strict=True)
    )
    by_host: dict[int, list[Item]] = {}
    for item in items:
        by_host.setdefault(item.host_id, []).append(item)
    out = []
    for group in by_host.values():
        group.sort(key=lambda i: i.id)
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                a, b = group[x], group[y]
                if (a.id, b.id) in exclude:
                    continue
                d = jaccard(a.disciplines, b.disciplines)
                ind = jaccard(a.industries, b.industries)
                m = cosine(vectors[a.id], vectors[b.id])
                score = 0.3 * d + 0.3 * ind + 0.4 * m
                if score < min_score:
                    continue
                c = Candidate(a, b, round(score, 4), round(d, 4), round(ind, 4), round(m, 4))
                c.shared_disciplines = sorted(set(a.disciplines) & set(b.disciplines))
                c.shared_industries = sorted(set(a.industries) & set(b.industries))
                c.reasons.append(_("同一依托单位：%(host)s") % {"host": a.host_name})
                if c.shared_disciplines:
                    c.reasons.append(
                        _("学科重叠 %(pct)s：%(items)s")
                        % {"pct": f"{d:.0%}", "items": listed(disciplines.names_shown(c.shared_disciplines))}
                    )
                if c.shared_industries:
                    c.reasons.append(
                        _("服务产业重叠 %(pct)s：%(items)s")
                        % {"pct": f"{ind:.0%}", "items": listed(industries.shown_list(c.shared_industries))}
                    )
                if m > 0:
                    c.reasons.append(_("定位与任务文本相似度 %(sim)s") % {"sim": f"{m:.0%}"})
                out.append(c)
    out.sort(key=lambda c: (-c.score, c.a.id, c.b.id))
    return out
