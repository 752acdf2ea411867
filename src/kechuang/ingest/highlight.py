"""Rendering a text with highlighted spans (changes, facts) as safe HTML, for the side-by-side page."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def highlight(text: str, spans: list[tuple[int, int, str, str, str]]) -> str:
    """`text` as HTML with each (start, end, css class, title, anchor id) span wrapped in a <mark>.

    Overlapping spans are split at every boundary; zero-length spans (a deletion) show as a thin marker.
    """
    n = len(text)
    points = {0, n}
    clean = []
    for start, end, css, title, anchor in spans:
        start, end = max(0, min(start, n)), max(0, min(end, n))
        clean.append((start, end, css, title, anchor))
        points.update((start, end))
    bounds = sorted(points)
    opening: dict[int, list] = {}
    for s in clean:
        opening.setdefault(s[0], []).append(s)
    active: list = []
    out = []
    for i, pos in enumerate(bounds):
        active = [s for s in active if s[1] > pos]
        for s in opening.get(pos, []):
            if s[0] == s[1]:
                out.append(
                    f'<mark class="gap {escape(s[2])}" title="{escape(s[3])}" id="{escape(s[4])}">¦</mark>'
                )
            else:
                active.append(s)
        if i + 1 >= len(bounds):
            break
        segment = escape(text[pos : bounds[i + 1]])
        if active:
            classes = " ".join(sorted({s[2] for s in active}))
            title = gettext("；").join(s[3] for s in active)[:500]
            anchor = next((s[4] for s in active if s[0] == pos and s[4]), "")
            attr = f' id="{escape(anchor)}"' if anchor else ""
            out.append(f'<mark class="{escape(classes)}" title="{escape(title)}"{attr}>{segment}</mark>')
        else:
            out.append(segment)
    return mark_safe("".join(out))
