"""Lists in the reader's language (core.lists): 甲、乙 on a Chinese page, "a, b" on an English one; and no
module on a display path joins a list with a bare "、"."""

import re
from pathlib import Path

from django.utils import translation

from kechuang.core.lists import listed, listed_lazy


def test_a_list_reads_as_the_readers_language_writes_one():
    with translation.override("zh-hans"):
        assert listed(["甲", "乙", "丙"]) == "甲、乙、丙"
        assert listed([1, 2, 3, 4], limit=2) == "1、2等"
        assert listed([1, 2], limit=2) == "1、2"
    with translation.override("en"):
        assert listed(["a", "b", "c"]) == "a, b, c"
        assert listed([1, 2, 3, 4], limit=2) == "1, 2 and others"
        assert listed([]) == ""


def test_a_lazy_list_is_joined_in_the_language_it_is_read_in():
    label = listed_lazy(["pdf", "docx"])
    with translation.override("en"):
        assert str(label) == "pdf, docx"
    with translation.override("zh-hans"):
        assert str(label) == "pdf、docx"


SRC = Path(__file__).resolve().parents[2]  # src/kechuang
# Joins with a bare "、" that are not read as a sentence in a language: each with why.
KEPT = {
    # an export's cell, read back by the matching import (which splits on 、 and commas)
    (
        "review/exports.py",
        'col(_("学科代码（GB/T 13745，供系统读取）"), lambda p: "、".join(map(str, p.disciplines or [])), 16),',
    ),
    (
        "challenges/exports.py",
        'return "、".join(f"{p.unit.name}（{p.get_role_display()}）" for p in app.partners.all())',
    ),
    # a text box's starting value, which the form splits again
    ("indicators/forms.py", 'self.fields["aliases_text"].initial = "、".join(self.instance.aliases or [])'),
    ("review/forms.py", '"keywords": "、".join(profile.keywords),'),
    ("platforms/forms.py", 'self.initial["disciplines"] = "、".join(self.instance.disciplines or [])'),
    ("platforms/forms.py", 'self.initial["industries"] = "、".join(self.instance.industries or [])'),
    # stored in the audit trail as it was when recorded
    ("core/admin_audit.py", 'parent = "、".join(str(o) for o in objs[:5])'),
    ("core/notifications.py", 'before={"email_off": "、".join(labels[g] for g in before) or "—"},'),
    ("core/notifications.py", 'after={"email_off": "、".join(labels[g] for g in after) or "—"},'),
    # Chinese demo data
    ("challenges/gendata.py", 'kw = "、".join(rng.sample(keywords, 3))'),
    # a command's tab-separated report for scripts
    (
        "techmap/management/commands/techmap.py",
        'planned = "、".join(c.target_repr for c in r.planned) or "-"',
    ),
    # the parsers stay pure and are another helper's (ingest)
    ("ingest/parsers/decode.py", '% {"ext": ext, "supported": "、".join(SUPPORTED)}'),
    # a fact's place as the report names it (岱沄省、翡岭省), stored in Fact.place and matched against regions
    ("ingest/parsers/extract.py", 'place = "、".join(names)'),
}


def test_no_list_shown_to_a_reader_is_joined_with_a_bare_chinese_comma():
    found = set()
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r'(?<![_(])"、"\.join\(', line):
                found.add((rel, line.strip()))
    assert found - KEPT == set(), "join with core.lists.listed (the reader's list form), or say why in KEPT"


# Joins with a bare "；" or "，" that are not read in the reader's language: each with why.
KEPT_OTHER = {
    # the Chinese branch of a cell that has its own English one (english() tested just above)
    ("challenges/views/public.py", 'return "；".join('),
}


def test_no_text_shown_to_a_reader_joins_with_a_bare_chinese_semicolon_or_comma():
    """(people24) The ranking Excel's recommendations read 推荐 2；不推荐 1 in English too: join with
    gettext("；") / gettext("，"), which English reads as "; " and ", "."""
    found = set()
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r'(?<![_(])"[；，]"\.join\(', line):
                found.add((rel, line.strip()))
    assert found - KEPT_OTHER == set(), (
        'join with gettext("；") (the reader\'s form), or say why in KEPT_OTHER'
    )


def test_the_separators_read_in_english():
    with translation.override("en"):
        assert (translation.gettext("；"), translation.gettext("，"), translation.gettext("、")) == (
            "; ",
            ", ",
            ", ",
        )


def test_no_template_writes_a_bare_chinese_separator_between_its_words():
    """(people24) 太原理工大学，运行中 read "Taiyuan University of Technology，In operation" on English pages: a
    template's separator between two of its values or words is translated ({% translate "，" %}), unless it
    is inside a blocktranslate (the sentence is translated whole). The official PDFs render in the site's
    language (documents.services) and are left out."""
    between = re.compile(r"(\}\}|%\})[；、，。](\{\{|\{%)")
    block = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S)
    found = []
    for path in SRC.rglob("*.html"):
        rel = path.relative_to(SRC).as_posix()
        if "/pdf/" in rel:
            continue
        text = block.sub("", path.read_text(encoding="utf-8"))
        found += [f"{rel}: {m.group(0)}" for m in between.finditer(text)]
    assert not found, found
