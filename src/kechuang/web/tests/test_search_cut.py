"""A list searched by more than SEARCH_MAX characters is searched by the first SEARCH_MAX, and the page says so in
the reader's language, the box keeping all that was typed (it cut them silently before: a reader could not tell
why a long query found what its end did not say)."""

import datetime

import pytest
from django.urls import reverse

from kechuang.core.limits import SEARCH_MAX
from kechuang.platforms.models import Reorganisation
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db

ZH = "搜索词过长，只按前 100 个字搜索。"
EN = "The search words are too long: only the first 100 characters are searched."


@pytest.mark.parametrize(("lang", "note"), [("zh", ZH), ("en", EN)])
def test_a_long_search_is_cut_and_the_page_says_so(lang, note, client_for, english_client_for, staff):
    assert SEARCH_MAX == 100
    c = (client_for if lang == "zh" else english_client_for)(staff)
    platform = PlatformFactory(name="冻土工程国家重点实验室")
    r = Reorganisation.objects.create(kind="upgrade", date=datetime.date(2023, 1, 1), batch="冻" * SEARCH_MAX)
    r.targets.set([platform])
    typed = "冻" * SEARCH_MAX + "土工程"
    for url in (reverse("platforms:reorganisations"), reverse("web:notifications")):
        body = c.get(url, {"q": typed}).content.decode()
        assert note in body, url
        assert f'name="q" value="{typed}"' in body, url  # the box keeps all that was typed
        short = c.get(url, {"q": "冻" * SEARCH_MAX}).content.decode()
        assert note not in short and ZH not in short and EN not in short, url
    # searched by the first SEARCH_MAX characters: the batch of 100 冻 is found
    body = c.get(reverse("platforms:reorganisations"), {"q": typed}).content.decode()
    assert r.get_absolute_url() in body
