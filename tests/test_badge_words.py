"""A badge (<span class="badge …">) is a label: in English it starts with a capital ("Overdue", "Current"),
as the choice labels shown in badges do ("Due soon"); the same state reads the same in every badge
("已逾期"/"Overdue" on the dashboard, on a milestone and counted on the contracts list)."""

import re
from pathlib import Path

from django.utils import translation

import kechuang


def _badge_msgids() -> dict[str, str]:
    found = {}
    for path in Path(kechuang.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r'class="badge[^"]*"[^>]*>\{% translate "([^"]+)" %\}', text):
            found[m.group(1)] = str(path)
        for m in re.finditer(
            r'class="badge[^"]*"[^>]*>\{% blocktranslate with (\w+)=[^%]*%\}([^{]*)\{\{ \1 \}\}([^{]*)'
            r"\{% endblocktranslate %\}",
            text,
        ):
            found[f"{m.group(2)}%({m.group(1)})s{m.group(3)}"] = str(path)
    return found


def test_every_badge_reads_as_a_label_in_english():
    msgids = _badge_msgids()
    assert len(msgids) > 30 and "已逾期" in msgids and "已逾期 %(n)s" in msgids
    with translation.override("en"):
        lower = {m: translation.gettext(m) for m in msgids if translation.gettext(m)[:1].islower()}
        untranslated = {m for m in msgids if translation.gettext(m) == m and not m.isascii()}
    assert not lower, f"badges in lowercase English: {lower}"
    assert not untranslated, f"badges without English: {untranslated}"


def test_overdue_reads_the_same_in_every_badge():
    from kechuang.challenges.models import Milestone

    for language, word in (("zh-hans", "已逾期"), ("en", "Overdue")):
        with translation.override(language):
            assert str(Milestone.Flag.OVERDUE.label) == word
            assert translation.gettext("已逾期 %(n)s") % {"n": 2} in ("已逾期 2", "Overdue: 2")
            assert translation.gettext("临近到期 %(n)s") % {"n": 1} in ("临近到期 1", "Due soon: 1")
