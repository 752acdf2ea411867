"""An audit entry's object and a unit acting in it in the reader's language (session 21's english9 leftover: a
name written in the changer's language stayed in it). The trail is append-only and never rewritten: the row's
current name is read at render time where the entry points at a row whose name it stores (in either language);
a row renamed since or deleted keeps the name as written (usable12)."""

import pytest
from django.utils import translation

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges.tests.factories import ChallengeFactory
from kechuang.core.audit import audit_record
from kechuang.core.display import actor_words, audit_lines
from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _objects(events, language, **kw):
    with translation.override(language):
        return [line.object for line in audit_lines(events, **kw)]


def test_an_object_named_in_english_by_its_changer_reads_in_chinese_and_back(staff):
    ch = ChallengeFactory(code="JB-2026-009", title="碳化硅衬底", title_en="SiC substrates")
    with translation.override("en"):  # the changer reads English: str(ch) is the English name
        audit_record(actor=staff, action="challenge.update", obj=ch, after={"max_winners": 2})
    with translation.override("zh-hans"):
        audit_record(actor=staff, action="challenge.update", obj=ch, after={"max_winners": 3})
    events = list(AuditEvent.objects.filter(action="challenge.update").order_by("pk"))
    assert [e.object_repr for e in events] == ["JB-2026-009 SiC substrates", "JB-2026-009 碳化硅衬底"]
    assert _objects(events, "zh-hans") == ["JB-2026-009 碳化硅衬底"] * 2
    assert _objects(events, "en") == ["JB-2026-009 SiC substrates"] * 2
    # the stored rows are as written (append-only)
    assert [e.object_repr for e in AuditEvent.objects.filter(action="challenge.update").order_by("pk")] == [
        "JB-2026-009 SiC substrates",
        "JB-2026-009 碳化硅衬底",
    ]


def test_a_renamed_or_deleted_object_keeps_the_name_as_written(staff):
    ch = ChallengeFactory(code="JB-2026-010", title="旧名称", title_en="Old name")
    audit_record(actor=staff, action="challenge.update", obj=ch, after={"max_winners": 2})
    type(ch).objects.filter(pk=ch.pk).update(title="新名称", title_en="New name")
    events = list(AuditEvent.objects.filter(action="challenge.update"))
    assert _objects(events, "en") == ["JB-2026-010 旧名称"]  # what it was called then
    unit = UnitFactory(name="甲研究院", name_en="Institute A")
    audit_record(actor=staff, action="unit.update", obj=unit, after={"city": "x"})
    events = list(AuditEvent.objects.filter(action="unit.update"))
    assert _objects(events, "en") == ["Institute A"]
    gone = UnitFactory(name="乙研究院", name_en="Institute B")
    audit_record(actor=staff, action="unit.update", obj=gone, after={"city": "y"})
    event = AuditEvent.objects.get(object_id=str(gone.pk), action="unit.update")
    type(gone).objects.filter(pk=gone.pk).delete()
    assert _objects([event], "en") == ["乙研究院"]


def test_the_objects_page_trail_reads_its_own_object_without_a_query(staff, django_assert_max_num_queries):
    ch = ChallengeFactory(title="碳化硅衬底", title_en="SiC substrates")
    with translation.override("en"):
        audit_record(actor=staff, action="challenge.update", obj=ch, after={"max_winners": 2})
    events = list(AuditEvent.objects.for_object(ch).select_related("actor__unit", "content_type"))
    with django_assert_max_num_queries(0):
        assert _objects(events, "zh-hans", known=(ch,)) == [f"{ch.code} 碳化硅衬底"]


def test_a_person_of_another_unit_is_shown_by_the_units_name_in_the_readers_language():
    actor = UserFactory(unit=UnitFactory(name="丙大学", name_en="University C"))
    bare = UserFactory(unit=UnitFactory(name="丁公司"))
    audit_record(actor=actor, action="application.submit", obj=None, after={})
    audit_record(actor=bare, action="application.submit", obj=None, after={})
    a, b = AuditEvent.objects.filter(action="application.submit").select_related("actor__unit").order_by("pk")
    with translation.override("en"):
        assert (actor_words(a, None, False), actor_words(b, None, False)) == ("University C", "丁公司")
    with translation.override("zh-hans"):
        assert actor_words(a, None, False) == "丙大学"


def test_an_indicator_is_named_by_its_name_not_by_its_unit_or_source(staff):
    from kechuang.indicators.tests.factories import IndicatorFactory

    ind = IndicatorFactory(name_zh="研发强度", name_en="R&D intensity", unit="%", source="省统计局")
    with translation.override("en"):
        audit_record(actor=staff, action="indicator.update", obj=ind, after={"notes": "x"})
    events = list(AuditEvent.objects.filter(action="indicator.update"))
    assert _objects(events, "zh-hans") == ["研发强度"] and _objects(events, "en") == ["R&D intensity"]
