"""Audit trails name the rows a payload's keys point at when the key is no field of the event's own model
(a platform's membership.end names its `unit`; a call's `round`; a decision's `winners`)."""

import datetime

import pytest
from django.utils import translation

from kechuang.core.audit import audit_record, audit_trail_for
from kechuang.core.display import audit_lines
from kechuang.platforms import services

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_membership_end_names_the_unit_not_its_key(staff, language):
    m = MembershipFactory(unit__name="兰州理工大学")
    services.membership_end(actor=staff, membership=m, left=datetime.date(2024, 1, 31))
    with translation.override(language):
        [line] = [x for x in audit_lines(audit_trail_for(m.platform)) if x.changes]
        units = [c for c in line.changes if c.new == "兰州理工大学"]
    assert units and units[0].old == "兰州理工大学"
    assert not any(c.new == str(m.unit_id) or c.old == str(m.unit_id) for c in line.changes)


def test_a_list_of_keys_and_a_round_read_by_names(staff):
    from kechuang.accounts.tests.factories import UnitFactory

    a, b = UnitFactory(name="甲单位"), UnitFactory(name="乙单位")
    m = MembershipFactory()
    audit_record(actor=staff, action="platform.update", obj=m.platform, after={"unit": a.pk})
    audit_record(actor=staff, action="platform.update", obj=m.platform, after={"unit": [a.pk, b.pk]})
    news = {c.new for line in audit_lines(audit_trail_for(m.platform)) for c in line.changes}
    assert "甲单位" in news and "甲单位、乙单位" in news
    with translation.override("en"):
        news = {c.new for line in audit_lines(audit_trail_for(m.platform)) for c in line.changes}
    assert "甲单位, 乙单位" in news
