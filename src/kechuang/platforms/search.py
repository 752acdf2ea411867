"""Chinese word-segmented search that behaves the same on SQLite and PostgreSQL.

Each platform stores `search_text`: its names, mission, disciplines and industries cut by jieba in search
mode (every word and its sub-words, e.g. 量子光学 → 量子 光学 量子光学). A query is cut the same way and
every query word must occur in the stored text, so 量子 finds 量子光学 and 光学 量子 finds it too.
"""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def segment(text: str) -> list[str]:
    """The search-mode words of `text`, lower-cased, punctuation dropped, order kept, no duplicates."""
    seen: dict[str, None] = {}
    for word in jieba.cut_for_search(text or ""):
        word = _PUNCT.sub("", word).lower()
        if word:
            seen.setdefault(word, None)
    return list(seen)


def search_text(*parts) -> str:
    """The stored column: segmented words separated by spaces, framed by spaces for whole-word tests."""
    words: list[str] = []
    for part in parts:
        if isinstance(part, list | tuple):
            part = " ".join(str(p) for p in part)
        words.extend(segment(str(part or "")))
    return " " + " ".join(dict.fromkeys(words)) + " "


def query_terms(query: str) -> list[str]:
    """The words a query must all match. A single character query keeps that character."""
    terms = segment(query)
    # Drop sub-words already covered by a longer term of the same query (search mode emits both).
    return [t for t in terms if not any(t != o and t in o for o in terms)]
