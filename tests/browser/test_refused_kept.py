"""Refused input is never lost, irreversible steps are confirmed, a stale tab says who decided (walker8a), driven
as a person drives them: deleting a wrong indicator value (the ranking's 删除… opens a page saying which figure
goes; without the tick that page comes back with the reason typed; a second tab opened before the deletion
answers who deleted it and when), and ending a call's stage from a stale tab (it no longer ends the next one;
the box not ticked is the browser's own refusal there, the server's is tested in programmes' tests)."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_value_is_deleted_only_when_confirmed_and_a_stale_tab_says_who_deleted_it(pages, make_user):
    from kechuang.indicators.models import Value
    from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory

    make_user(Role.STAFF, username="rk_staff", full_name="王科员")
    make_user(Role.STAFF, username="rk_other", full_name="李科员")
    ind = IndicatorFactory(code="RK1", name_zh="研发经费投入强度", public=True)
    ValueFactory(indicator=ind, region=RegionFactory(code="620000", name="甘肃省"), year=2023, value="1.33")
    value = ValueFactory(
        indicator=ind, region=RegionFactory(code="140000", name="山西省"), year=2023, value="9.99"
    )
    p = pages
    p.allowed.extend(["status of 400", "status of 409"])  # the refusals answer 400 and 409, as they should
    p.login("rk_staff")
    # another staff member has the same confirmation open in their own browser (a stale tab, in effect)
    other = p.person("other")
    other.login("rk_other")
    p.goto("/indicators/i/RK1/?year=2023", "indicator")
    p.click(p.page.get_by_role("link", name="删除山西省的数值…"), "confirm-page")
    assert "删除后不能恢复" in p.page.inner_text("main") and "9.99" in p.page.inner_text("main")
    other.goto(p.path(), "other-confirm-page")
    p.page.fill("#id_reason", "录入错误：小数点错位")
    p.click("main button[type=submit]", "refused-not-ticked")  # the box not ticked
    assert "请勾选确认" in p.page.inner_text("main")
    assert p.page.input_value("#id_reason") == "录入错误：小数点错位"  # the reason typed is kept
    assert Value.objects.filter(pk=value.pk).exists()
    p.page.check("#id_confirm")
    p.click("main button[type=submit]", "deleted")
    assert "数值已删除" in p.messages() and not Value.objects.filter(pk=value.pk).exists()
    # the stale tab: its reason and tick, then 409 naming who deleted it; the reason it typed shown to copy
    other.page.fill("#id_reason", "重复录入")
    other.page.check("#id_confirm")
    other.click("main button[type=submit]", "other-already-deleted")
    main = other.page.inner_text("main")
    assert "已由" in main and "王科员" in main and "重复录入" in main
    other.click(other.page.get_by_role("link", name="返回查看当前状态"), "other-back")
    assert "研发经费投入强度" in other.page.inner_text("h1")
    assert not p.errors, p.errors


def test_a_stale_tab_does_not_end_the_next_stage(pages, make_user):
    from kechuang.programmes import definitions, services, transfer
    from kechuang.programmes.models import Call

    staff = make_user(Role.STAFF, username="pg_staff", full_name="赵科长")
    version = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    call = services.call_open(actor=staff, version=version, title="2027 年度重点研发", year=2027)
    first = call.stage_key
    p = pages
    p.allowed.extend(["status of 400", "status of 409"])
    p.login("pg_staff")
    p.goto(call.get_absolute_url(), "call")
    stale = p.person("stale")
    stale.login("pg_staff")
    stale.goto(call.get_absolute_url(), "stale-call")  # the same page in a second tab
    p.page.check("input[name=confirm]")
    p.click(p.page.get_by_role("button", name="结束本环节，进入下一环节"), "advanced")
    moved = Call.objects.get(pk=call.pk).stage_key
    assert moved != first
    stale.page.check("input[name=confirm]")
    stale.click(stale.page.get_by_role("button", name="结束本环节，进入下一环节"), "stale-already-ended")
    assert "此事项已由" in stale.page.inner_text("main")
    assert Call.objects.get(pk=call.pk).stage_key == moved  # not a second advance
    assert not p.errors, p.errors
