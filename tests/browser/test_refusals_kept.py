"""Refusals on their page, in a real browser (walker8b): a staff member's review page keeps every score typed
when one is refused, and a platform member's exit taken from a stale tab answers who took it and when, with
what was typed — never a message after a redirect that loses the input."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_scores_refused_keep_every_score_typed(pages, make_user):
    from kechuang.challenges.models import Application, Challenge
    from kechuang.challenges.tests.factories import ApplicationFactory

    make_user(Role.STAFF, username="scorestaff")
    first = ApplicationFactory(submitted=True, title="碳化硅衬底中试")
    second = ApplicationFactory(submitted=True, challenge=first.challenge, title="氮化镓外延片")
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(status="under_review")
    Challenge.objects.filter(pk=first.challenge_id).update(status="closed")
    p, f = pages, pages.page
    p.login("scorestaff")
    p.goto(f"/challenges/{first.challenge_id}/review/", "review-page")
    f.fill(f"input[name=score_{first.pk}]", "88.5")
    f.fill(f"input[name=score_{second.pk}]", "九十")  # not a number
    p.allowed.append("status of 400")  # the refused scores come back with status 400, as they should
    p.click("form:has(input[name=mode][value=scores]) button[type=submit]", "scores-refused")
    assert "评审得分必须是数字" in f.inner_text("#refused-scores")
    # nothing typed is lost: both boxes as typed, the page still the review page
    assert f.input_value(f"input[name=score_{first.pk}]") == "88.5"
    assert f.input_value(f"input[name=score_{second.pk}]") == "九十"
    p.allowed.remove("status of 400")
    f.fill(f"input[name=score_{second.pk}]", "90")
    p.click("form:has(input[name=mode][value=scores]) button[type=submit]", "scores-saved")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (float(first.review_score), float(second.review_score)) == (88.5, 90.0)


def test_a_member_exit_from_a_stale_tab_says_who_took_it_and_keeps_the_reason(pages, make_user):
    from kechuang.platforms.models import Membership
    from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory

    make_user(Role.STAFF, username="exitstaff", full_name="赵办理")
    make_user(Role.STAFF, username="stalestaff")
    platform = PlatformFactory(consortium=True)
    member = MembershipFactory(platform=platform)
    a = pages
    a.login("exitstaff")
    b = pages.person("stale")
    b.login("stalestaff")
    b.goto(platform.get_absolute_url(), "platform-stale-tab")  # opened before the exit
    a.goto(platform.get_absolute_url(), "platform")
    row = a.page.locator(f"form[action$='/members/{member.pk}/end/']")
    row.locator("input[name=left]").fill("2025-03-01")
    row.locator("input[name=reason]").fill("联盟章程到期")
    row.locator("input[name=confirm]").check()  # an exit cannot be undone: ticked first
    a.click(row.locator("button[type=submit]"), "member-left")
    assert Membership.objects.get(pk=member.pk).left.isoformat() == "2025-03-01"
    stale = b.page.locator(f"form[action$='/members/{member.pk}/end/']")
    stale.locator("input[name=left]").fill("2025-04-01")
    stale.locator("input[name=reason]").fill("另案退出")
    stale.locator("input[name=confirm]").check()
    b.allowed.append("status of 409")  # already done: the page says so with 409, as it should
    b.click(stale.locator("button[type=submit]"), "member-exit-already-taken")
    main = b.page.inner_text("main")
    assert "已经处理" in main and "赵办理" in main and "另案退出" in main, main
    assert Membership.objects.get(pk=member.pk).left.isoformat() == "2025-03-01"
