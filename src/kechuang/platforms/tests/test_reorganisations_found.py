"""The reorganisations list finds a record by a platform's name (before or after) or its batch, keeps the
words in the box and across pages, and says so when nothing matches (found walking the demo: 47 rows, no
way to find one)."""

import datetime

import pytest
from django.urls import reverse

from kechuang.platforms.models import Reorganisation

from .factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_a_reorganisation_is_found_by_a_platforms_name_or_its_batch(client_for, staff):
    old, new, other = (
        PlatformFactory(name="冻土工程国家重点实验室"),
        PlatformFactory(name="寒旱区冻土工程与环境全国重点实验室"),
        PlatformFactory(name="有机化学重点实验室"),
    )
    r1 = Reorganisation.objects.create(kind="upgrade", date=datetime.date(2023, 1, 1), batch="一室一策")
    r1.sources.set([old])
    r1.targets.set([new])
    r2 = Reorganisation.objects.create(kind="retire", date=datetime.date(2024, 1, 1), batch="优化整合")
    r2.sources.set([other])
    c = client_for(staff)
    url = reverse("platforms:reorganisations")
    for q in ("冻土", "寒旱区", "一室一策"):
        body = c.get(url, {"q": q}).content.decode()
        assert r1.get_absolute_url() in body and r2.get_absolute_url() not in body, q
        assert f'name="q" value="{q}"' in body
    body = c.get(url, {"q": "量子"}).content.decode()
    assert "没有原平台、新平台或批次含“量子”的重组记录。" in body
    assert r1.get_absolute_url() not in body and r2.get_absolute_url() not in body
    assert r2.get_absolute_url() in c.get(url).content.decode()
