"""A label's colon follows the page's language: "状态：" on a Chinese page, "Status: " on an English one, never a
full-width "：" after English. Templates write a colon outside translated text as {% translate "：" %}."""

import pathlib
import re

import pytest
from django.conf import settings

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "kechuang"
TOK = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})", re.S)


def test_no_template_writes_a_bare_full_width_colon():
    bad = []
    for path in sorted(SRC.glob("*/templates/**/*.html")):
        if "/pdf/" in str(path):
            continue  # official documents are always Chinese
        inside = 0
        for i, part in enumerate(TOK.split(path.read_text())):
            if i % 2:
                tag = part[2:-2].strip()
                inside += tag.startswith("blocktranslate") - tag.startswith("endblocktranslate")
            elif not inside and "：" in part:
                bad.append(str(path.relative_to(SRC)))
    assert not bad, bad


def test_lists_join_with_the_languages_separator():
    """{{ x|join:_("、") }} (", " in English), never a bare |join:"、"."""
    bad = [
        str(p.relative_to(SRC))
        for p in sorted(SRC.glob("*/templates/**/*.html"))
        if "/pdf/" not in str(p) and re.search(r"\|join:[\"'][、；，][\"']", p.read_text())
    ]
    assert not bad, bad


@pytest.mark.parametrize(
    "lang, expected, wrong", [("zh-hans", "发起人：", "Started by："), ("en", ": ", "：")]
)
def test_a_page_writes_its_languages_colon(lang, expected, wrong, staff, client):
    from kechuang.core.models import Job

    job = Job.objects.create(kind="test", title="T", started_by=staff)
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    meta = re.search(r'<p class="meta">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert expected in meta and wrong not in meta
