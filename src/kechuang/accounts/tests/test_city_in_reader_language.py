"""A unit's city is kept by its division's Chinese name (太原市); where the pages only report it — the audit
trail's changes, a change request's table — an English page names the division in English (Taiyuan), a value
that names no division as written, and a Chinese page as stored (people19; the lists and forms already read
it so through `city_name`)."""

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.accounts import selectors, services
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core import divisions
from kechuang.core.display import audit_lines
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_city_as_stored_or_typed_in_the_readers_language():
    with translation.override("en"):
        assert [divisions.city_shown(v) for v in ("太原市", "晋中", "火星", "")] == [
            "Taiyuan",
            "Jinzhong",
            "火星",
            "",
        ]
    with translation.override("zh-hans"):
        assert [divisions.city_shown(v) for v in ("太原市", "晋中", "火星")] == ["太原市", "晋中", "火星"]


def test_the_trail_of_a_units_city_in_each_language(staff, client_for, english_client_for):
    unit = UnitFactory(city="太原市")
    with translation.override("zh-hans"):
        services.unit_update(actor=staff, unit=unit, city="长治")
    (event,) = AuditEvent.objects.filter(action="unit.update", object_id=str(unit.pk))
    with translation.override("en"):
        (change,) = [c for c in audit_lines([event])[0].changes if c.label == "City"]
        assert (change.old, change.new) == ("Taiyuan", "Changzhi")
    with translation.override("zh-hans"):
        (change,) = [c for c in audit_lines([event])[0].changes if c.label == "城市"]
        assert (change.old, change.new) == ("太原市", "长治市")
    page = english_client_for(staff).get(unit.get_absolute_url()).content.decode()
    assert '<span class="after">Changzhi</span>' in page and "长治市" not in page
    assert (
        '<span class="after">长治市</span>' in client_for(staff).get(unit.get_absolute_url()).content.decode()
    )


def test_a_change_requests_city_in_each_language(make_user, staff, client_for, english_client_for):
    unit = UnitFactory(name="某科技有限公司", city="太原市")
    unit_user = make_user(Role.APPLICANT, unit=unit)
    cr = services.unit_change_request_create(
        actor=unit_user, unit=unit, changes={"city": "晋中"}, reason="迁址"
    )
    with translation.override("en"):
        assert selectors.change_request_rows(cr)[0][1:] == ("Taiyuan", "Jinzhong", "Taiyuan")
    with translation.override("zh-hans"):
        assert selectors.change_request_rows(cr)[0][1:] == ("太原市", cr.changes["city"], "太原市")
    url = reverse("accounts:change-request-detail", args=[cr.pk])
    assert "<td>Taiyuan</td><td>Jinzhong</td>" in english_client_for(staff).get(url).content.decode()
    assert f"<td>太原市</td><td>{cr.changes['city']}</td>" in client_for(staff).get(url).content.decode()
