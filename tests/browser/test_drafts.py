"""Refused input is never lost (walked, session 14): an expert types a long review, the session expires
meanwhile, and "save" leads to the sign-in page; after signing in, the review comes back empty. Now the
page puts the typed text back (app.js keeps a post form's text areas in the tab's sessionStorage) and says
so; a successful save forgets it. The kept texts are the signed-in person's (session 15's attacker review: on a
shared computer they outlived signing out, and another person signing in on the same tab got them back on the
same form): keyed by the person, and forgotten when they sign out."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "技术路线清晰，里程碑可考核。" * 60


def _opened_review(make_user):
    from kechuang.review import services
    from kechuang.review.models import Review
    from kechuang.review.tests.factories import (
        ExpertProfileFactory,
        ExternalSubjectFactory,
        ReviewFormFactory,
    )

    staff = make_user(Role.STAFF, username="dr_staff")
    expert = make_user(Role.EXPERT, username="dr_expert", full_name="陈教授")
    ExpertProfileFactory(user=expert)
    rnd = services.round_create(
        actor=staff,
        title="2027 年度函评",
        subjects=[ExternalSubjectFactory(title="煤基石墨烯中试")],
        form=ReviewFormFactory(criteria=[("tech", "技术", "1", 40)]),
        k=1,
        max_load=1,
        experts=type(expert.expert_profile).objects.filter(pk=expert.expert_profile.pk),
    )
    rnd = services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    return Review.objects.get(assignment__round=rnd)


def test_a_review_typed_before_the_session_expired_comes_back_after_signing_in(pages, make_user):
    review = _opened_review(make_user)
    p = pages
    p.login("dr_expert")
    p.goto(f"/review/reviews/{review.pk}/", "review-pending")
    p.page.get_by_label("我声明与该评审对象无利益冲突").check()  # the declaration a box to tick first
    p.click("main button:has-text('开始评审')", "sheet-opened")
    f = p.page
    f.fill("#id_comments", LONG)
    # the session expires while the expert types: the save goes to the sign-in page
    context = f.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)
    p.click("main button:has-text('保存草稿')", "signed-out")
    assert p.path().startswith("/accounts/login/")
    f.fill("#id_username", "dr_expert")
    f.fill("#id_password", "correct-horse-battery")
    p.click("main button[type=submit]", "back-on-the-sheet")
    assert p.path() == f"/review/reviews/{review.pk}/"
    assert f.input_value("#id_comments") == LONG  # was "" before
    assert "已恢复" in f.inner_text("main .draft-restored")
    # saved now: the text is stored, and the browser forgets its copy
    p.click("main button:has-text('保存草稿')", "draft-saved")
    review.refresh_from_db()
    assert review.comments == LONG
    assert f.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('kc-draft'))") == []
    assert f.locator(".draft-restored").count() == 0


def test_a_saved_review_reworked_before_the_session_expired_comes_back_reworked(pages, make_user):
    """Walked (session 23): the texts came back into empty fields only, so a review saved once and then
    reworked came back, after the session expired and the expert signed in again, as the saved draft: the
    rework was lost. What was typed comes back over the saved text; dropping it shows the saved text again."""
    review = _opened_review(make_user)
    p = pages
    p.login("dr_expert")
    p.goto(f"/review/reviews/{review.pk}/", "review-pending")
    p.page.get_by_label("我声明与该评审对象无利益冲突").check()  # the declaration a box to tick first
    p.click("main button:has-text('开始评审')", "sheet-opened")
    f = p.page
    f.fill("#id_comments", "初稿。")
    f.fill("#id_c_tech", "30")
    p.click("main button:has-text('保存草稿')", "first-draft-saved")
    f.fill("#id_comments", LONG)
    f.fill("#id_c_tech", "36")
    context = f.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)
    p.click("main button:has-text('保存草稿')", "signed-out")
    f.fill("#id_username", "dr_expert")
    f.fill("#id_password", "correct-horse-battery")
    p.click("main button[type=submit]", "back-on-the-sheet")
    assert f.input_value("#id_comments") == LONG  # was the saved "初稿。"
    assert f.input_value("#id_c_tech") == "36"  # was the saved 30
    notes = f.locator("main .draft-restored")
    assert notes.count() == 2
    notes.last.locator("button").click()
    assert f.input_value("#id_comments") == "初稿。"  # dropped: the saved text again, not an empty box
    p.goto("/review/my/", "left")
    p.goto(f"/review/reviews/{review.pk}/", "unchanged-sheet")
    assert f.input_value("#id_c_tech") == "36"  # the score still typed and unsaved comes back
    assert f.locator("main .draft-restored").count() == 1


KEPT = "Object.keys(sessionStorage).filter(k => k.startsWith('kc-draft'))"


def test_typed_texts_are_the_persons_and_signing_out_forgets_them(pages, make_user):
    review = _opened_review(make_user)
    expert = review.assignment.expert
    p = pages
    p.login("dr_expert")
    p.goto(f"/review/reviews/{review.pk}/", "review-pending")
    p.page.get_by_label("我声明与该评审对象无利益冲突").check()  # the declaration a box to tick first
    p.click("main button:has-text('开始评审')", "sheet-opened")
    f = p.page
    f.fill("#id_comments", LONG)
    kept = f.evaluate(KEPT)
    assert len(kept) == 1 and kept[0].startswith(f"kc-draft:{expert.pk}|")
    p.click(".usermenu button:has-text('退出')", "signed-out")
    assert f.evaluate(KEPT) == []  # was the review's text, for whoever used the tab next


def test_scores_left_half_done_come_back_and_a_save_forgets_them(pages, make_user):
    """Walked (session 20): an expert scored two criteria, picked a recommendation, went to another page and
    came back: the comments were there, every score and the recommendation gone. The short fields of a
    signed-in person's form are kept now too, under one note for the form; saving forgets them."""
    review = _opened_review(make_user)
    p = pages
    p.login("dr_expert")
    p.goto(f"/review/reviews/{review.pk}/", "review-pending")
    p.page.get_by_label("我声明与该评审对象无利益冲突").check()  # the declaration a box to tick first
    p.click("main button:has-text('开始评审')", "sheet-opened")
    f = p.page
    f.fill("#id_c_tech", "36")
    f.select_option("#id_recommendation", index=2)
    chosen = f.input_value("#id_recommendation")
    f.fill("#id_comments", "路线清晰。")
    p.goto("/review/my/", "left-the-sheet")
    p.goto(f"/review/reviews/{review.pk}/", "came-back")
    assert f.input_value("#id_c_tech") == "36"  # was ""
    assert f.input_value("#id_recommendation") == chosen  # was ""
    assert f.input_value("#id_comments") == "路线清晰。"
    notes = f.locator("main .draft-restored")
    assert notes.count() == 2  # one for the form's short fields, one above the comments
    assert "此表单" in notes.first.inner_text()
    # dropping the form's note empties what it put back, and forgets it
    notes.first.locator("button").click()
    assert f.input_value("#id_c_tech") == "" and f.input_value("#id_recommendation") == ""
    # the note above the comments drops the comments alone
    assert f.input_value("#id_comments") == "路线清晰。" and notes.count() == 1
    notes.first.locator("button").click()
    assert f.input_value("#id_comments") == "" and notes.count() == 0
    p.goto(f"/review/reviews/{review.pk}/", "dropped")
    assert f.input_value("#id_c_tech") == ""
    f.fill("#id_c_tech", "38")
    p.click("main button:has-text('保存草稿')", "draft-saved")
    review.refresh_from_db()
    assert review.scores.get(criterion__code="tech").score == 38
    assert f.evaluate(KEPT) == []
    p.goto("/review/my/", "left-again")
    p.goto(f"/review/reviews/{review.pk}/", "saved-shown")
    assert f.locator(".draft-restored").count() == 0


def test_what_is_typed_on_the_sign_in_page_is_not_kept(pages, make_user):
    make_user(Role.EXPERT, username="dr_nobody")
    p = pages
    p.goto("/accounts/login/", "login")
    f = p.page
    f.fill("#id_username", "someone@example.org")
    assert f.evaluate(KEPT) == []
