"""Grouping similar needs into candidate topics by Chinese text similarity. Pure: no database.

Texts are cut into words with jieba, weighted by TF-IDF (smoothed idf, l2-normalised rows) and compared by
cosine similarity; needs whose similarity reaches the threshold are linked, and each connected group of
two or more needs is proposed as a topic (single-link clustering). Staff confirm or change each proposal.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_STOP = set(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "对",
        "为",
        "是",
        "以",
        "中",
        "将",
        "其",
        "或",
        "有",
        "并",
        "从",
        "上",
        "下",
        "个",
        "一",
        "种",
        "项",
        "进行",
        "开展",
        "实现",
        "研究",
        "技术",
        "关键",
        "需求",
        "问题",
        "提高",
        "提升",
        "解决",
        "企业",
        "我们",
        "需要",
        "目前",
        "现有",
        "方面",
        "相关",
        "要求",
    ]
)
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9\-]+|\d+(?:\.\d+)?[A-Za-z%]+")


def tokenize(text: str) -> list[str]:
    """The content words of a text: jieba's cut, lower-cased, without stop words and one-character tokens."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = []
    for w in jieba.lcut(text or ""):
        w = w.strip().lower()
        if w and w not in _STOP and _WORD.fullmatch(w):
            words.append(w)
    return words


def tfidf_matrix(docs: Sequence[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Rows: documents; columns: vocabulary. tf * (ln((1+n)/(1+df)) + 1), each row scaled to unit length."""
    vocab = sorted({w for d in docs for w in d})
    index = {w: i for i, w in enumerate(vocab)}
    n = len(docs)
    m = np.zeros((n, len(vocab)))
    df = Counter(w for d in docs for w in set(d))
    for r, d in enumerate(docs):
        for w, tf in Counter(d).items():
            m[r, index[w]] = tf * (math.log((1 + n) / (1 + df[w])) + 1)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return m / norms, vocab


def cosine_matrix(texts: Sequence[str]) -> np.ndarray:
    """Pairwise cosine similarities of the texts (1 on the diagonal for non-empty texts)."""
    m, _ = tfidf_matrix([tokenize(t) for t in texts])
    return m @ m.T


@dataclass(frozen=True)
class Group:
    ids: tuple  # the needs' ids, in input order
    keywords: tuple[str, ...]  # the highest-weighted shared words: a starting point for the topic's title
    cohesion: float  # the mean pairwise similarity within the group


def propose_groups(items: Sequence[tuple[object, str]], *, threshold: float = 0.25) -> list[Group]:
    """Groups of two or more items whose texts link at cosine >= threshold, largest and tightest first."""
    if len(items) < 2:
        return []
    ids = [i for i, _ in items]
    docs = [tokenize(t) for _, t in items]
    m, vocab = tfidf_matrix(docs)
    sim = m @ m.T
    parent = list(range(len(items)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if sim[a, b] >= threshold:
                parent[find(a)] = find(b)
    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(find(i), []).append(i)
    groups = []
    for rows in members.values():
        if len(rows) < 2:
            continue
        pairs = [sim[a, b] for k, a in enumerate(rows) for b in rows[k + 1 :]]
        weight = m[rows].sum(axis=0)
        top = [vocab[j] for j in np.argsort(-weight)[:5] if weight[j] > 0]
        groups.append(Group(tuple(ids[r] for r in rows), tuple(top), round(float(np.mean(pairs)), 4)))
    groups.sort(key=lambda g: (-len(g.ids), -g.cohesion))
    return groups
