"""A chain's description has an English form (people37): staff give it beside the Chinese one, English pages
show it (the Chinese when none was given); a technology's local supply is a share as people write it (35%,
not 35.0%)."""

from decimal import Decimal

import pytest

from kechuang.techmap import demo, services
from kechuang.techmap.models import Chain

from .factories import ChainFactory, LinkFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def test_english_pages_show_the_english_description(client_for, staff, english):
    chain = services.chain_create(
        actor=staff,
        name="新能源",
        description="电池材料与氢能装备。",
        description_en="Battery materials.",
        published=True,
    )
    plain = ChainFactory(name="新材料", description="碳基新材料。", published=True)
    c = client_for(staff)
    assert "电池材料与氢能装备。" in c.get(chain.get_absolute_url()).content.decode()
    english(c)
    body = c.get(chain.get_absolute_url()).content.decode()
    # the page's own text (its history may still quote what staff typed)
    assert "<p>Battery materials.</p>" in body and "<p>电池材料与氢能装备。</p>" not in body
    assert "碳基新材料。" in c.get(plain.get_absolute_url()).content.decode()  # none given: the Chinese


def test_the_demo_chains_have_an_english_description():
    assert set(demo.DESCRIPTIONS_EN) == {name for name, *_rest in demo.CHAINS}


def test_the_form_offers_the_english_description(client_for, staff):
    body = client_for(staff).get("/techmap/chains/new/").content.decode()
    assert 'name="description_en"' in body
    assert Chain._meta.get_field("description_en").blank


def test_local_supply_reads_as_a_share(client_for, staff, english):
    tech = TechnologyFactory(link=LinkFactory(), local_supply_pct=Decimal("35.0"))
    c = english(client_for(staff))
    for url in (tech.get_absolute_url(), "/techmap/technologies/"):
        body = c.get(url).content.decode()
        assert "35%" in body and "35.0%" not in body, url
