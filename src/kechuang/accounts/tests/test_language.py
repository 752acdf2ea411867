"""A person's language: chosen on their profile page (or PATCH /api/me/), audited; their e-mails are written
in it (notices, invitations, a refused registration, a password link) and the pages start in it when they
sign in, while the switch in the page header still changes the pages for the visit."""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_noop

from kechuang.accounts import services
from kechuang.accounts.models import Unit, User
from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.display import audit_lines
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.models import AuditEvent, OutboundEmail
from kechuang.core.notifications import notify

pytestmark = pytest.mark.django_db

FACTORY_WORD = "correct-horse-battery"  # the factories' (UserFactory)


def test_a_new_person_reads_the_sites_language():
    assert UserFactory().language == settings.LANGUAGE_CODE == "zh-hans"


def test_the_person_sets_their_own_language_audited_once(applicant, staff):
    services.user_set_language(actor=applicant, user=applicant, language="en")
    services.user_set_language(actor=applicant, user=applicant, language="en")  # no change, no event
    applicant.refresh_from_db()
    assert applicant.language == "en"
    (event,) = AuditEvent.objects.filter(action="user.update", object_id=str(applicant.pk))
    assert event.before == {"language": "zh-hans"} and event.after == {"language": "en"}
    (line,) = audit_lines([event])
    assert [(c.label, c.old, c.new) for c in line.changes] == [("语言", "简体中文", "英语")]
    with pytest.raises(PermissionDenied):
        services.user_set_language(actor=staff, user=applicant, language="zh-hans")


def test_the_profile_page_offers_the_languages_as_a_choice_and_saves_one(applicant, client_for):
    c = client_for(applicant)
    page = c.get("/accounts/profile/").content.decode()
    assert '<select name="language"' in page and 'value="en"' in page and "English" in page
    r = c.post("/accounts/profile/language/", {"language": "en"})
    assert r.status_code == 302
    applicant.refresh_from_db()
    assert applicant.language == "en"
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # this visit's pages follow too
    assert AuditEvent.objects.filter(action="user.update", object_id=str(applicant.pk)).exists()


def test_a_language_the_site_does_not_offer_is_refused_and_the_page_says_why(applicant, client_for):
    r = client_for(applicant).post("/accounts/profile/language/", {"language": "fr"})
    assert r.status_code == 400
    assert "fr" in r.content.decode() or "选择" in r.content.decode()
    applicant.refresh_from_db()
    assert applicant.language == "zh-hans"
    assert client_for(applicant).get("/accounts/profile/language/").status_code == 405


def test_the_api_me_endpoint_reads_and_changes_only_the_language(applicant, api_for):
    api = api_for(applicant)
    assert api.get("/api/me/").json()["language"] == "zh-hans"
    r = api.patch("/api/me/", {"language": "en"}, format="json")
    assert r.status_code == 200 and r.json()["language"] == "en"
    applicant.refresh_from_db()
    assert applicant.language == "en"
    assert AuditEvent.objects.filter(action="user.update", object_id=str(applicant.pk)).exists()
    bad = api.patch("/api/me/", {"language": "fr"}, format="json")
    assert bad.status_code == 400 and "language" in bad.json()["error"]["fields"]
    fixed = api.patch("/api/me/", {"username": "someone-else", "language": "zh-hans"}, format="json")
    assert fixed.status_code == 400 and "username" in fixed.json()["error"]["fields"]
    applicant.refresh_from_db()
    assert applicant.username != "someone-else" and applicant.language == "en"


def test_a_notice_email_is_written_in_each_recipients_own_language(
    make_user, django_capture_on_commit_callbacks
):
    reads_english = make_user("applicant", language="en")
    reads_chinese = make_user("applicant")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[reads_english, reads_chinese],
            title=Message(gettext_noop("单位注册已通过核验：%(unit)s"), unit="山西示范公司"),
            kind="accounts.unit_verify",
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    english, chinese = by_address[reads_english.email], by_address[reads_chinese.email]
    assert english.subject.startswith("Unit") and "山西示范公司" in english.subject
    assert chinese.subject == "单位注册已通过核验：山西示范公司"
    assert "通知设置" in chinese.body and "通知设置" not in english.body
    assert OutboundEmail.objects.get(address=reads_english.email).subject == english.subject


def test_an_invitation_is_written_in_the_invitees_language_not_the_inviters_page(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.user_invite(
            actor=staff, email="new@example.org", full_name="新同事", base_url="http://testserver"
        )
    (message,) = mail.outbox
    assert message.subject == "科创平台账号邀请" and "请用本电子邮箱" in message.body


def test_a_refused_registration_is_mailed_to_each_registrant_in_their_language(
    staff, django_capture_on_commit_callbacks
):
    unit = UnitFactory(name="待核验示范公司", status=Unit.Status.PENDING)
    UserFactory(unit=unit, email="zh@example.org", is_active=False)
    UserFactory(unit=unit, email="en@example.org", is_active=False, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.unit_reject(actor=staff, unit=unit, reason="营业执照照片不清晰。")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["zh@example.org"] == "单位注册未通过核验：待核验示范公司"
    assert subjects["en@example.org"] == "Unit registration not verified: 待核验示范公司"
    assert all(m.body == "营业执照照片不清晰。" for m in mail.outbox)  # the reason as staff wrote it


def test_the_password_link_is_mailed_in_the_persons_language(client):
    UserFactory(email="reader@example.org", language="en")
    r = client.post("/accounts/password/reset/", {"email": "reader@example.org"})
    assert r.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Kechuang: set a new password"
    assert "设置新密码" not in message.body


def test_signing_in_starts_the_pages_in_the_persons_language_and_the_switch_still_works(client):
    person = UserFactory(language="en")
    r = client.post("/accounts/login/", {"username": person.username, "password": FACTORY_WORD})
    assert r.status_code == 302
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/accounts/profile/").headers["Content-Language"] == "en"
    # The switch in the header: Chinese for the rest of the visit, the preference unchanged.
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/profile/"})
    assert client.get("/accounts/profile/").headers["Content-Language"] == "zh-hans"
    assert User.objects.get(pk=person.pk).language == "en"


def test_a_language_chosen_on_this_visit_before_signing_in_holds(client):
    # Every account reads Chinese until the person chooses: an English reader who switched on the sign-in
    # page keeps English pages after signing in (their e-mails follow the preference).
    person = UserFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.post("/accounts/login/", {"username": person.username, "password": FACTORY_WORD})
    assert r.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in r.cookies
    assert client.get("/accounts/profile/").headers["Content-Language"] == "en"


def test_the_profile_page_explains_the_language_once(applicant, client_for):
    # the field's help says what the language does; the section repeated it in other words
    page = client_for(applicant).get("/accounts/profile/").content.decode()
    assert page.count("页眉的语言切换") == 1
    assert page.count("登录后页面也以此语言显示") == 1


def test_the_invite_form_asks_the_invitees_language_starting_from_the_inviters(staff, client_for):
    c = client_for(staff)
    page = c.get("/accounts/users/invite/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<select name="language"' in page and '<option value="zh-hans" selected lang="zh-hans">' in page
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = c.get("/accounts/users/invite/").content.decode()
    assert '<option value="en" selected lang="en">' in page


def test_an_invitee_whose_language_is_chosen_gets_the_email_and_the_account_in_it(
    staff, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(staff).post(
            "/accounts/users/invite/",
            {"email": "reader@example.org", "full_name": "Ann Reader", "language": "en"},
        )
    assert r.status_code == 302
    invitee = User.objects.get(email="reader@example.org")
    assert invitee.language == "en"
    (message,) = mail.outbox
    assert message.subject == "Your Kechuang account"
    assert "登录用户名" not in message.body
    event = AuditEvent.objects.get(action="user.invite", object_id=str(invitee.pk))
    assert event.after["language"] == "en"
