"""A notice is read in the reader's language: its words are kept as msgid and parameters (core.messages) and
rendered on the page, in the API and in the e-mail (the recipient's language); a notice stored before, as text,
still shows its text."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.core.messages import Message, encode, label, render, render_in
from kechuang.core.models import Notification, OutboundEmail
from kechuang.core.notifications import notify
from kechuang.review.models import ExpertProfile

pytestmark = pytest.mark.django_db

TITLE = gettext_noop("您有新的评审任务：%(t)s")


def _page(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/notifications/").content.decode()


def test_the_page_shows_the_notice_in_the_readers_language(applicant, client_for):
    notify(
        recipients=[applicant],
        title=Message(TITLE, t="钠离子电池正极材料"),
        body=Message(gettext_noop("评审被退回修改")),
        kind="review.assignment",
    )
    client = client_for(applicant)
    zh, en = _page(client, "zh-hans"), _page(client, "en")
    assert "您有新的评审任务：钠离子电池正极材料" in zh and "评审被退回修改" in zh
    assert "You have a new review task: 钠离子电池正极材料" in en  # the data stays as typed
    assert "Review returned for revision" in en
    assert "您有新的评审任务" not in en


def test_the_api_gives_the_callers_language(applicant, api_for):
    notify(
        recipients=[applicant],
        title=Message(TITLE, t="课题一"),
        body="请尽快完成。",
        kind="review.assignment",
    )
    api = api_for(applicant)
    zh = api.get("/api/notifications/").json()["results"][0]
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice (core.middleware)
    en = api.get("/api/notifications/").json()["results"][0]
    assert zh["title"] == "您有新的评审任务：课题一"
    assert en["title"] == "You have a new review task: 课题一"
    assert zh["body"] == en["body"] == "请尽快完成。"  # typed text is shown as typed


def test_the_stored_text_is_chinese_even_when_an_english_reader_acts(applicant):
    with translation.override("en"):
        notify(recipients=[applicant], title=Message(TITLE, t="课题一"), kind="review.assignment")
    n = Notification.objects.get()
    assert n.title == "您有新的评审任务：课题一"
    with translation.override("en"):
        assert n.title_text == "You have a new review task: 课题一"


def test_the_email_is_written_in_the_recipients_language_not_the_actors(
    applicant, django_capture_on_commit_callbacks
):
    applicant.email = "a@example.org"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        notify(recipients=[applicant], title=Message(TITLE, t="课题一"), kind="review.assignment")
    sent = OutboundEmail.objects.get()
    assert sent.subject == "您有新的评审任务：课题一"
    assert "通知设置" in mail.outbox[0].body


def test_an_old_notice_shows_its_stored_text(applicant, client_for):
    Notification.objects.create(recipient=applicant, title="旧的通知标题", body="旧的内容")
    en = _page(client_for(applicant), "en")
    assert "旧的通知标题" in en and "旧的内容" in en


def test_labels_dates_and_nested_words_are_translated_when_read():
    profile = ExpertProfile(status=ExpertProfile.Status.APPROVED)
    msg = Message(
        gettext_noop("里程碑%(l)s：%(m)s（到期日 %(d)s）"),
        l=Message(gettext_noop("已逾期")),
        m="样机",
        d=datetime.date(2027, 3, 11),
    )
    stored = encode(msg)
    assert render_in(stored, "zh-hans") == "里程碑已逾期：样机（到期日 2027年3月11日）"
    assert "11 Mar 2027" in render_in(stored, "en")
    assert "已逾期" not in render_in(stored, "en")
    shown = encode(Message(gettext_noop("您的专家档案已审核：%(result)s"), result=label(profile, "status")))
    with translation.override("en"):
        assert (
            render(shown) == f"Your expert profile has been reviewed: {ExpertProfile.Status.APPROVED.label}"
        )
        assert "：" not in render(shown)
    assert encode(gettext_lazy("评审被退回修改")) == {"m": "评审被退回修改"}


def test_a_translation_that_no_longer_fits_falls_back_to_the_stored_text():
    assert render({"m": "%(gone)s", "p": {"t": "x"}}, "存储的文字") == "存储的文字"


def test_a_notice_s_decimal_and_yes_no_parameters_read_as_a_person_writes_them():
    import decimal

    from django.utils import translation

    from kechuang.core import messages

    stored = messages.encode(
        messages.Message("%(amount)s万元，%(flag)s", amount=decimal.Decimal("600.0000"), flag=True)
    )
    with translation.override("zh-hans"):
        assert messages.render(stored) == "600万元，是"
    with translation.override("en"):
        assert messages.render(stored) == "600万元，Yes"  # the words in the reader's language
    assert messages.render(messages.encode(messages.Message("%(x)s", x=decimal.Decimal("12.50")))) == "12.5"
    assert messages.render(messages.encode(messages.Message("%(x)s", x=False))) in ("否", "No")


def test_a_word_with_a_context_keeps_it_when_stored():
    """已入库 is "In the expert pool" for an expert and "Recorded" for a fact: a notice keeps the context (it had
    kept the bare word, which read as the other one or not at all)."""
    from django.utils.translation import pgettext_lazy

    stored = encode(Message(gettext_noop("状态：%(s)s"), s=pgettext_lazy("专家状态", "已入库")))
    assert stored["p"]["s"] == {"m": "已入库", "c": "专家状态"}
    assert render_in(stored, "en").endswith("In the expert pool")
    assert render_in(stored, "zh-hans") == "状态：已入库"
    assert render_in(encode(pgettext_lazy("事实入库", "已入库")), "en") == "Recorded"
    assert render_in({"m": "已入库"}, "en") == "In the expert pool"  # a notice stored before
