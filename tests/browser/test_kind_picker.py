"""A review round's subjects picked by name as staff type, among the objects of the type chosen (issue #13.1):
nobody types an id. Choosing another type empties the picker; the round is created over the picked ones."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pick_a_rounds_subjects_of_the_type_chosen(pages, make_user):
    from django.contrib.contenttypes.models import ContentType

    from kechuang.challenges.models import Application
    from kechuang.challenges.tests.factories import ApplicationFactory
    from kechuang.review.models import ExternalSubject, Round
    from kechuang.review.tests.factories import ExternalSubjectFactory, ReviewFormFactory

    make_user(Role.STAFF, username="kp_staff", full_name="王处长")
    form = ReviewFormFactory(name="外部项目评分表")
    ExternalSubjectFactory(title="煤基石墨烯中试")
    wanted = ExternalSubjectFactory(title="煤层气高效抽采")
    ApplicationFactory(title="煤化工废水零排放")
    p = pages
    p.who = "staff"
    p.login("kp_staff")
    p.goto("/review/rounds/new/", "round-form")
    f = p.page
    f.fill("#id_title", "外部项目评审")
    f.locator("#id_form-ts-control").click()
    f.keyboard.type("外部项目")
    f.locator(".ts-dropdown .option", has_text="外部项目评分表").click()
    f.keyboard.press("Escape")
    f.locator("#id_title").click()  # leave the scoring form's picker
    # The applications first: typing finds applications, not external proposals.
    f.select_option("#id_subject_type", str(ContentType.objects.get_for_model(Application).pk))
    f.locator("#id_subjects-ts-control").click()
    f.keyboard.type("煤")
    f.locator(".ts-dropdown .option", has_text="煤化工废水零排放").wait_for()
    assert not f.locator(".ts-dropdown .option", has_text="煤层气高效抽采").count()
    f.locator(".ts-dropdown .option", has_text="煤化工废水零排放").click()
    # Another type: the application picked is dropped (it is not of that type), the search follows.
    f.keyboard.press("Escape")
    f.select_option("#id_subject_type", str(ContentType.objects.get_for_model(ExternalSubject).pk))
    assert f.eval_on_selector("#id_subjects", "el => el.selectedOptions.length") == 0
    f.locator("#id_subjects-ts-control").click()
    f.keyboard.type("煤层气")
    f.locator(".ts-dropdown .option", has_text="煤层气高效抽采").click()
    p.shot("subjects-picked")
    p.click("main form button[type=submit]", "round-created")
    rnd = Round.objects.get(title="外部项目评审")
    assert [s.object_id for s in rnd.subjects.all()] == [wanted.pk] and rnd.form == form
