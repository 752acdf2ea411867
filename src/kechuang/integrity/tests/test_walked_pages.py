"""What a newcomer walking the demo saw on the integrity pages (session 12, helper walker)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.core.roles import Role

from .factories import RecordFactory


@pytest.mark.django_db
def test_a_record_whose_period_is_over_reads_expired_not_in_force(make_user, client_for):
    staff = client_for(make_user(Role.STAFF))
    today = timezone.localdate()
    over = RecordFactory(
        decision="两年内不得申报项目",
        starts_on=today - datetime.timedelta(days=900),
        decided_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=170),
    )
    RecordFactory(decision="三年内不得申报项目")  # still running
    rows = {
        line.split("</td>")[0]: line
        for line in staff.get(reverse("integrity:record-list")).content.decode().split("<tr>")[1:]
    }
    expired = next(r for r in rows.values() if "两年内不得申报项目" in r)
    running = next(r for r in rows.values() if "三年内不得申报项目" in r)
    assert "已期满" in expired and ">生效<" not in expired
    assert ">生效<" in running
    detail = staff.get(over.get_absolute_url()).content.decode()
    assert "已期满" in detail
