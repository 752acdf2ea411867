"""Affinity between reviewed subjects and experts: Chinese TF-IDF cosine plus discipline-code match.

Pure (no database). Texts are segmented with jieba; each side becomes a sublinear TF-IDF vector
(IDF over both sides together), and the text similarity is their cosine. Discipline codes follow
GB/T 13745 (``460``, ``460.30``, ``460.3020``): two codes share level 1, 2 or 3 when their first
3, 5 (3 digits + dot + 2) or 7 digits agree. The discipline similarity is the number of prefix
features the two sides share, capped at 3, over 3: for one code on each side, the deepest shared level. The affinity is

    round(TEXT_WEIGHT * text + DISCIPLINE_WEIGHT * discipline, 6)

and is explainable: `explain` lists the terms both sides share, heaviest first, and the codes matched.
A whole round is computed as one sparse product in row blocks, keeping each subject's top-N experts
(or every pair when N is None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

TEXT_WEIGHT = 0.7
DISCIPLINE_WEIGHT = 0.3
DECIMALS = 6

_STOP = set(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "对",
        "等",
        "为",
        "是",
        "中",
        "其",
        "上",
        "下",
        "以",
        "于",
        "把",
        "被",
        "将",
        "并",
        "而",
        "从",
        "由",
        "之",
        "研究",
        "技术",
        "开发",
        "应用",
        "基于",
        "关键",
        "方法",
        "系统",
        "项目",
        "工作",
        "进行",
        "实现",
        "提高",
        "相关",
        "主要",
        "一种",
        "以及",
        "方面",
        "我们",
        "通过",
        "具有",
        "问题",
        "领域",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@dataclass(frozen=True)
class Doc:
    """What affinity reads of one side: free text, keywords (weighted double) and discipline codes."""

    text: str = ""
    keywords: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()


def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


def tokenize(text: str) -> list[str]:
    """Words of a Chinese (or mixed) text: jieba segmentation, lower-cased, stop words and single
    punctuation dropped. Single Han characters are dropped too (too ambiguous to match on)."""
    if not text:
        return []
    out = []
    for w in _jieba().lcut(text):
        w = w.strip().lower()
        if not w or w in _STOP or not _WORD.search(w):
            continue
        if len(w) == 1 and not w.isascii():
            continue
        out.append(w)
    return out


def doc_terms(doc: Doc) -> list[str]:
    terms = tokenize(doc.text)
    for kw in doc.keywords:
        kw = kw.strip().lower()
        if kw:
            # A keyword counts as itself (twice: it was chosen) and through its own words.
            terms += [kw, kw]
            terms += [t for t in tokenize(kw) if t != kw]
    return terms


def discipline_features(codes: Sequence[str]) -> set[str]:
    """Prefix features of GB/T 13745-style codes: 'L1:460', 'L2:460.30', 'L3:460.3020'."""
    feats = set()
    for code in codes:
        c = re.sub(r"\s", "", str(code))
        if not c:
            continue
        head, _, tail = c.partition(".")
        feats.add(f"L1:{head}")
        if len(tail) >= 2:
            feats.add(f"L2:{head}.{tail[:2]}")
        if len(tail) >= 4:
            feats.add(f"L3:{head}.{tail[:4]}")
    return feats


def discipline_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Shared prefix features, capped at 3, over 3 (for single codes: the deepest shared level / 3)."""
    return min(3, len(discipline_features(a) & discipline_features(b))) / 3


class Vectorizer:
    """Vocabulary and IDF fitted on both sides of a round."""

    def __init__(self, term_lists: Sequence[Sequence[str]]):
        vocab: dict[str, int] = {}
        df: dict[int, int] = {}
        for terms in term_lists:
            for t in set(terms):
                idx = vocab.setdefault(t, len(vocab))
                df[idx] = df.get(idx, 0) + 1
        self.vocab = vocab
        n = max(1, len(term_lists))
        dfa = np.zeros(len(vocab))
        for idx, c in df.items():
            dfa[idx] = c
        self.idf = np.log((1 + n) / (1 + dfa)) + 1.0
        self.terms = np.array(list(vocab), dtype=object)

    def transform(self, term_lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        for i, terms in enumerate(term_lists):
            counts: dict[int, int] = {}
            for t in terms:
                j = self.vocab.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append((1.0 + np.log(c)) * self.idf[j])
        mat = sp.csr_matrix((vals, (rows, cols)), shape=(len(term_lists), len(self.vocab)), dtype=np.float64)
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ mat)


@dataclass
class AffinityModel:
    """Fitted vectors of both sides, ready to score pairs or a whole round."""

    subjects: sp.csr_matrix
    experts: sp.csr_matrix
    subj_disc: sp.csr_matrix
    exp_disc: sp.csr_matrix
    vectorizer: Vectorizer
    subject_docs: Sequence[Doc]
    expert_docs: Sequence[Doc]


def fit(subject_docs: Sequence[Doc], expert_docs: Sequence[Doc]) -> AffinityModel:
    """Segment every text once and build the TF-IDF and discipline-feature matrices."""
    s_terms = [doc_terms(d) for d in subject_docs]
    e_terms = [doc_terms(d) for d in expert_docs]
    vec = Vectorizer(s_terms + e_terms)
    disc_vocab: dict[str, int] = {}

    def disc_matrix(docs):
        rows, cols, vals = [], [], []
        for i, d in enumerate(docs):
            for f in discipline_features(d.disciplines):
                rows.append(i)
                cols.append(disc_vocab.setdefault(f, len(disc_vocab)))
                vals.append(1.0)
        return rows, cols, vals

    sd = disc_matrix(subject_docs)
    ed = disc_matrix(expert_docs)
    nd = max(1, len(disc_vocab))
    return AffinityModel(
        subjects=vec.transform(s_terms),
        experts=vec.transform(e_terms),
        subj_disc=sp.csr_matrix((sd[2], (sd[0], sd[1])), shape=(len(subject_docs), nd)),
        exp_disc=sp.csr_matrix((ed[2], (ed[0], ed[1])), shape=(len(expert_docs), nd)),
        vectorizer=vec,
        subject_docs=subject_docs,
        expert_docs=expert_docs,
    )


def matrix(model: AffinityModel, *, top_n: int | None = None, block: int = 512) -> sp.csr_matrix:
    """Affinity of every subject with every expert (or each subject's top_n experts), as a sparse
    matrix of values rounded to six decimals. Shared discipline prefixes are nested, so the count of
    shared features of single codes is the shared level; with several codes it is capped at 3."""
    n = model.subjects.shape[0]
    m = model.experts.shape[0]
    et = model.experts.T.tocsc()
    edt = model.exp_disc.T.tocsc()
    out_r, out_c, out_v = [], [], []
    for start in range(0, n, block):
        stop = min(n, start + block)
        text = (model.subjects[start:stop] @ et).toarray()
        disc = (model.subj_disc[start:stop] @ edt).toarray()
        aff = TEXT_WEIGHT * np.minimum(text, 1.0) + DISCIPLINE_WEIGHT * np.minimum(disc, 3.0) / 3.0
        aff = np.round(aff, DECIMALS)
        if top_n is not None and top_n < m:
            idx = np.argpartition(-aff, top_n - 1, axis=1)[:, :top_n]
            vals = np.take_along_axis(aff, idx, axis=1)
            rows = np.repeat(np.arange(start, stop), top_n)
            out_r.append(rows)
            out_c.append(idx.ravel())
            out_v.append(vals.ravel())
        else:
            r, c = np.nonzero(aff)
            out_r.append(r + start)
            out_c.append(c)
            out_v.append(aff[r, c])
    if not out_r:
        return sp.csr_matrix((n, m))
    return sp.csr_matrix(
        (np.concatenate(out_v), (np.concatenate(out_r), np.concatenate(out_c))), shape=(n, m)
    )


def explain(model: AffinityModel, i: int, j: int, *, limit: int = 8) -> dict:
    """Why subject i and expert j match: shared terms (heaviest first), matched discipline level, the
    two parts of the score and the affinity itself."""
    s = model.subjects.getrow(i)
    e = model.experts.getrow(j)
    common = np.intersect1d(s.indices, e.indices)
    sv = dict(zip(s.indices.tolist(), s.data.tolist()))
    ev = dict(zip(e.indices.tolist(), e.data.tolist()))
    weighted = sorted(((sv[t] * ev[t], t) for t in common.tolist()), reverse=True)
    text = float(sum(w for w, _ in weighted))
    level = round(
        discipline_similarity(model.subject_docs[i].disciplines, model.expert_docs[j].disciplines) * 3
    )
    disc_codes = sorted(
        f.split(":", 1)[1]
        for f in discipline_features(model.subject_docs[i].disciplines)
        & discipline_features(model.expert_docs[j].disciplines)
    )
    return {
        "terms": [str(model.vectorizer.terms[t]) for _, t in weighted[:limit]],
        "text": round(min(text, 1.0), DECIMALS),
        "discipline_level": level,
        "disciplines": disc_codes,
        "affinity": round(TEXT_WEIGHT * min(text, 1.0) + DISCIPLINE_WEIGHT * level / 3, DECIMALS),
    }
