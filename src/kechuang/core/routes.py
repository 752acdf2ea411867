"""The site's pages that need no argument: where the page crawls start (tests/test_crawl.py, the public-name and
accessibility sweeps, benchmarks/pages/bench_pages.py)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver


def argless_paths(skip: re.Pattern | None = None) -> list[str]:
    """The path of every URL pattern that takes no argument (a `<converter>`, a regex group or a pattern written
    as a regex takes one), under the project's URL conf, sorted; those `skip` finds left out."""
    paths = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                full = prefix + route
                if "<" not in full and "(?P" not in full and not full.startswith("^"):
                    paths.append("/" + full.rstrip("$"))

    walk(get_resolver().url_patterns)
    return sorted({p for p in paths if not (skip and skip.search(p))})
