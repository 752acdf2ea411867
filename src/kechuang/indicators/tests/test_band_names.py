"""A performance group (第一梯队 …) has an English name beside its Chinese one (people38): the shipped frameworks
carry it (`label_en`), staff give it on the builder, frameworks stored before get it from migration 0007, and
an English page names the group in English (a run's table, the framework's settings)."""

import importlib

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.indicators import builder, charts, specs
from kechuang.indicators.tests.factories import FrameworkFactory

from .test_builder import ROWS, _post_body, fw  # noqa: F401  (the builder's framework)

BANDS = [
    {"code": "first", "label": "第一梯队", "label_en": "First tier", "above": 120},
    {"code": "fourth", "label": "第四梯队", "above": None},
]


def test_the_shipped_frameworks_name_each_group_in_english():
    for code in ("cn-csti", "eis"):
        bands = specs.shipped_spec(code)["method"]["groups"]["bands"]
        assert bands and all(b.get("label_en") for b in bands)


def test_a_runs_groups_read_in_the_readers_language():
    outputs = {"rows": [], "bands": BANDS}
    with translation.override("en"):
        assert charts.run_year(outputs, 2024).bands == {"first": "First tier", "fourth": "第四梯队"}
        assert any(
            v.startswith("First tier > 120%") and "第四梯队" in v
            for _k, v in builder.setting_items({"groups": {"bands": BANDS}})
        )
    with translation.override("zh-hans"):
        assert charts.run_year(outputs, 2024).bands["first"] == "第一梯队"


@pytest.mark.django_db
def test_the_framework_page_names_its_groups_in_english(client_for, staff, english):
    framework = FrameworkFactory()
    framework.spec["method"]["groups"] = {"bands": BANDS, "year": "same"}
    framework.save()
    c = client_for(staff)
    assert "第一梯队 &gt; 120%" in c.get(framework.get_absolute_url()).content.decode()
    english(c)
    page = c.get(framework.get_absolute_url()).content.decode()
    assert "First tier &gt; 120%" in page and "第一梯队" not in page


@pytest.mark.django_db
def test_staff_give_a_group_its_english_name_on_the_builder(client_for, staff, fw):  # noqa: F811
    url = reverse("indicators:framework-edit", args=[fw.pk])
    assert 'name="bands-0-label_en"' in client_for(staff).get(url).content.decode()
    bands = [
        {"label": "领先", "label_en": " Leaders ", "above": "125"},
        {"label": "其他", "label_en": "", "above": ""},
    ]
    r = client_for(staff).post(url, _post_body(fw, ROWS, bands=bands))
    assert r.status_code == 302, r.content.decode()[:2000]
    fw.refresh_from_db()
    saved = fw.spec["method"]["groups"]["bands"]
    assert saved[0]["label_en"] == "Leaders" and "label_en" not in saved[1]


@pytest.mark.django_db
def test_frameworks_and_runs_stored_before_get_the_english_names():
    from django.apps import apps

    from kechuang.core import migrating
    from kechuang.indicators.models import IndexRun

    framework = FrameworkFactory()
    old = [
        {"code": "1", "label": "第一梯队", "above": 120},
        {"code": "9", "label": "本厅自定", "above": None},
    ]
    framework.spec["method"]["groups"] = {"bands": old}
    framework.save()
    run = IndexRun.objects.create(
        framework=framework, framework_code="x", edition="2024", spec=framework.spec, outputs={"bands": old}
    )
    migration = importlib.import_module("kechuang.indicators.migrations.0007_band_label_en")
    try:
        migration.forwards(apps, None)
    finally:
        migrating._PENDING.pop("default", None)
    framework.refresh_from_db()
    run.refresh_from_db()
    for bands in (
        framework.spec["method"]["groups"]["bands"],
        run.spec["method"]["groups"]["bands"],
        run.outputs["bands"],
    ):
        assert bands[0]["label_en"] == "First tier" and "label_en" not in bands[1]
