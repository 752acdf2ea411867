"""A deploy-time data migration that changes records says so in the audit trail (docs/security.md §48).

indicators 0006 renamed the EIS indicators and units in Chinese at deploy time and the audit trail said
nothing: a name changed with no event, no actor, no count. A data migration now notes what it changed
(`core.migrating.migration_changed`: the migration's name and rows by model) and, once the migrate run has
finished (`post_migrate`, when the trail's table is whole), one system event is written per migration: actor
"migrate", action `core.data_migration`, the counts. A migration that changed nothing writes nothing."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils import translation

from kechuang.core import migrating
from kechuang.core.display import action_label, system_actor_words
from kechuang.core.models import AuditEvent
from kechuang.indicators.models import Indicator, Region
from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db

M0006 = importlib.import_module("kechuang.indicators.migrations.0006_eis_chinese_names")


class _Editor:
    connection = connection


def _migrate_done():
    """What `migrate` does at its end: post_migrate for every app (core's receiver writes the notes)."""
    post_migrate.send(
        sender=apps.get_app_config("core"),
        app_config=apps.get_app_config("core"),
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )


def _events():
    return list(AuditEvent.objects.filter(action=migrating.ACTION))


def test_0006_renames_and_one_system_event_names_it_with_the_counts():
    IndicatorFactory(code="EIS9", name_zh="Human resources", name_en="Human resources")
    IndicatorFactory(
        code="EIS8", name_zh="人力资源（已改）", name_en="Digitalisation"
    )  # a person's name kept
    RegionFactory(code="SE", name="Sweden", name_en="Sweden", region_set="eis")
    migrating._PENDING.clear()
    M0006.forwards(apps, _Editor())
    assert Indicator.objects.get(code="EIS9").name_zh == "人力资源"
    assert Region.objects.get(code="SE").name != "Sweden"
    assert _events() == []  # not inside the migration: after the run
    _migrate_done()
    (event,) = _events()
    assert event.actor is None and event.actor_repr == "migrate"
    assert event.object_repr == "indicators.0006_eis_chinese_names"
    assert event.after == {
        "migration": "indicators.0006_eis_chinese_names",
        "changed": {"indicators.Indicator": 1, "indicators.Region": 1},
        "rows": 2,
    }
    assert event.hash and event.seq  # chained like every event
    _migrate_done()
    assert len(_events()) == 1  # written once


def test_a_migration_that_changes_nothing_writes_nothing():
    IndicatorFactory(code="EIS7", name_zh="人力资源", name_en="Human resources")
    migrating._PENDING.clear()
    M0006.forwards(apps, _Editor())
    _migrate_done()
    assert _events() == []


def test_the_event_reads_in_words():
    from kechuang.core import display

    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert action_label(migrating.ACTION)[0] != migrating.ACTION
            assert system_actor_words("migrate") != "migrate"
    worded = display.PAYLOADS[migrating.ACTION](None, {"changed": {"indicators.Indicator": 3}, "rows": 3})
    assert worded["changed"] == {str(Indicator._meta.verbose_name): 3}


def test_another_database_s_notes_are_not_written_to_the_default():
    migrating._PENDING.clear()

    class Other:
        class connection:
            alias = "replica"

    migrating.migration_changed(Other(), "kechuang.x.migrations.0002_y", {"x.Y": 4})
    assert migrating.record_pending("replica") == [] and migrating._PENDING == {}
    assert _events() == []


def test_a_flush_writes_no_note_only_the_end_of_a_migrate_run_does():
    """`flush` (a transactional test's teardown, an operator emptying a database) sends post_migrate without
    a plan: it applied no migration, so it writes no event; the notes wait for the migrate run's end."""
    from django.core.management.sql import emit_post_migrate_signal

    IndicatorFactory(code="EIS6", name_zh="Human resources", name_en="Human resources")
    migrating._PENDING.clear()
    M0006.forwards(apps, _Editor())
    emit_post_migrate_signal(0, False, "default")  # what `flush` sends
    assert _events() == []
    _migrate_done()
    assert len(_events()) == 1
