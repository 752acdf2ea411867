"""A chain's, a link's and a technology's optional English name: staff give it where they give the Chinese one
(the forms, the API, the Excel columns beside the Chinese ones), English pages show it and fall back to the
Chinese name when it is empty; Chinese pages always show the Chinese."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kechuang.core.excel import xlsx_bytes
from kechuang.techmap import charts, demo, selectors
from kechuang.techmap.importer import COLUMNS, map_import
from kechuang.techmap.models import Chain, Technology

from .factories import ChainFactory, LinkFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named():
    chain = ChainFactory(name="新能源", name_en="New energy")
    link = LinkFactory(chain=chain, name="电池材料", name_en="")  # no English name: the Chinese one
    tech = TechnologyFactory(link=link, name="正极材料", name_en="Cathode materials")
    return chain, link, tech


def test_the_name_follows_the_language_and_falls_back_to_the_chinese(named):
    chain, link, tech = named
    assert (chain.local_name, link.local_name, str(tech)) == ("新能源", "电池材料", "正极材料")
    with translation.override("en"):
        assert (chain.local_name, link.local_name, str(tech)) == (
            "New energy",
            "电池材料",
            "Cathode materials",
        )
        assert str(link) == "New energy · Upstream · 电池材料"


def test_english_pages_show_the_english_names(client_for, staff, named, english):
    chain, _link, tech = named
    client = client_for(staff)
    pages = [
        chain.get_absolute_url(),
        tech.get_absolute_url(),
        reverse("techmap:technology-list"),
        reverse("techmap:matrix"),
        reverse("techmap:index"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "新能源" in body and "New energy" not in body, url
    english(client)
    for url in pages:
        body = client.get(url).content.decode()
        assert "New energy" in body, url
    body = client.get(tech.get_absolute_url()).content.decode()
    assert "<h1>Cathode materials" in body and "电池材料" in body  # the link has no English name


def test_the_technology_lists_rows_name_the_technology_its_chain_and_link_in_english(
    staff, english_client_for
):
    # walked (session 21): the rows kept the Chinese names while the chain list above them read English
    chain = ChainFactory(name="新能源", name_en="New energy")
    link = LinkFactory(chain=chain, stage="midstream", name="光伏电池装备", name_en="PV cell equipment")
    TechnologyFactory(link=link, name="异质结电池镀膜装备", name_en="HJT coating equipment")
    client = english_client_for(staff)
    body = client.get(reverse("techmap:technology-list")).content.decode()
    row = body[body.index("<tbody>") : body.index("</tbody>")]
    assert ">HJT coating equipment</a></td><td>New energy</td><td>Midstream · PV cell equipment</td>" in row
    assert not any(name in row for name in ("新能源", "光伏电池装备", "异质结电池镀膜装备"))


def test_the_graph_and_tree_name_nodes_in_the_readers_language(staff, named):
    with translation.override("en"):
        tree = selectors.map_tree(user=staff)
        names = {n["name"] for n in charts.graph_data(tree)["nodes"]}
        assert {"New energy", "Cathode materials"} <= names
        assert any(n.endswith("·电池材料") for n in names)
        assert charts.tree_data(tree, "Map")["children"][0]["name"] == "New energy"
    # the tree's data (the API's) keeps the stored names, the English beside them
    assert (tree[0]["name"], tree[0]["name_en"]) == ("新能源", "New energy")
    assert tree[0]["links"][0]["technologies"][0]["name_en"] == "Cathode materials"


def test_staff_give_the_english_name_in_the_form(client_for, staff, named):
    chain, _link, tech = named
    client = client_for(staff)
    r = client.post(
        reverse("techmap:chain-edit", args=[chain.pk]),
        {
            "name": "新能源",
            "name_en": "Renewable energy",
            "order": 10,
            "published": "on",
            "version": chain.version,
        },
    )
    assert r.status_code == 302
    chain.refresh_from_db()
    assert chain.name_en == "Renewable energy"
    assert "英文名称" in client.get(reverse("techmap:technology-edit", args=[tech.pk])).content.decode()


def test_the_api_reads_and_writes_the_english_name(api_for, staff, named):
    chain, _link, _tech = named
    c = api_for(staff)
    r = c.get(f"/api/techmap/chains/{chain.pk}/")
    assert (r.json()["name"], r.json()["name_en"]) == ("新能源", "New energy")
    r = c.post("/api/techmap/chains/", {"name": "新材料", "name_en": "New materials"})
    assert r.status_code == 201 and Chain.objects.get(name="新材料").name_en == "New materials"
    r = c.post("/api/techmap/chains/", {"name": "装备制造"})  # still optional
    assert r.status_code == 201 and Chain.objects.get(name="装备制造").name_en == ""


def _line(**kw):
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {"产业链": "新材料", "环节位置": "上游", "环节": "衬底", "技术名称": "碳化硅衬底", "卡脖子": "否"}
    )
    values.update(kw)
    return [values[c] for c in COLUMNS]


def test_the_excel_columns_give_english_names_and_a_blank_keeps_them(staff):
    data = xlsx_bytes(
        COLUMNS,
        [
            _line(
                **{
                    "产业链（英文）": "New materials",
                    "环节（英文）": "Substrates",
                    "技术名称（英文）": "SiC substrates",
                }
            )
        ],
    )
    assert map_import(actor=staff, data=data, filename="map.xlsx", dry_run=False).committed
    tech = Technology.objects.select_related("link__chain").get(name="碳化硅衬底")
    assert (tech.link.chain.name_en, tech.link.name_en, tech.name_en) == (
        "New materials",
        "Substrates",
        "SiC substrates",
    )
    # a file without English names (or from before the columns) erases none
    old = [c for c in COLUMNS if "英文" not in c]
    row = dict(zip(COLUMNS, _line(描述="更新"), strict=True))
    map_import(actor=staff, data=xlsx_bytes(old, [[row[c] for c in old]]), filename="m.xlsx", dry_run=False)
    tech.refresh_from_db()
    assert (tech.description, tech.name_en) == ("更新", "SiC substrates")
    # a changed English name is written; the export carries them back out, beside the Chinese ones
    data = xlsx_bytes(COLUMNS, [_line(**{"产业链（英文）": "Advanced materials"})])
    map_import(actor=staff, data=data, filename="map.xlsx", dry_run=False)
    assert Chain.objects.get(name="新材料").name_en == "Advanced materials"
    ws = load_workbook(io.BytesIO(xlsx_bytes(COLUMNS, selectors.export_rows(user=staff)))).active
    row = dict(zip(COLUMNS, next(ws.iter_rows(min_row=2, values_only=True)), strict=True))
    assert (row["产业链（英文）"], row["技术名称（英文）"]) == ("Advanced materials", "SiC substrates")


def test_one_chain_given_two_english_names_is_refused_with_the_line(staff):
    data = xlsx_bytes(
        COLUMNS,
        [
            _line(**{"产业链（英文）": "New materials"}),
            _line(技术名称="石墨烯", **{"产业链（英文）": "Advanced materials"}),
        ],
    )
    report = map_import(actor=staff, data=data, filename="map.xlsx", dry_run=False)
    assert [(e.line, e.field) for e in report.errors] == [(3, "产业链（英文）")]
    assert not report.committed and not Chain.objects.filter(name="新材料").exists()


def test_every_demo_chain_link_and_technology_has_an_english_name():
    names = [c[0] for c in demo.CHAINS] + [lk[2] for lk in demo.LINKS] + [t[1] for t in demo.TECHNOLOGIES]
    assert [n for n in names if not demo.ENGLISH.get(n)] == []
