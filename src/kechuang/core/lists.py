"""Lists in the reader's language, for text built in Python (messages, notes, table cells): 甲、乙、丙 on a
Chinese page, "a, b, c" on an English one. A template writes its lists itself; stored text that must keep one
form (an export's cell meant to be imported again, an audit value) joins as it always did."""

from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext


def listed(items: Iterable, *, limit: int | None = None) -> str:
    """`items` (each as its text) joined as the active language lists them; past `limit` items, the first
    `limit` and "等" / "and others"."""
    names = [str(i) for i in items]
    shown = gettext("、").join(names if limit is None else names[:limit])
    if limit is not None and len(names) > limit:
        return pgettext("列举", "%(items)s等") % {"items": shown}
    return shown


# The same, joined when the text is shown (for a module-level label or a message raised before its reader is known).
listed_lazy = lazy(listed, str)
