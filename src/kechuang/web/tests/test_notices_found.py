"""A person's notifications and the department's notification e-mails are found by words (walk-through of
session 29: both lists grow without bound and had only a pager). The words stay in the box and across the
pager with the other filters; an empty result says so and how to widen it, in both languages."""

import pytest
from django.urls import reverse

from kechuang.core.models import Notification, OutboundEmail

pytestmark = pytest.mark.django_db


def _notices(user, n, title):
    Notification.objects.bulk_create(Notification(recipient=user, title=f"{title}{i:02}") for i in range(n))


def test_a_notification_is_found_by_its_title_or_text(staff, client_for, english_client_for, make_user):
    Notification.objects.create(recipient=staff, title="立项通知", body="项目“碳化硅衬底”已立项。")
    Notification.objects.create(recipient=staff, title="评审邀请", body="请在五日内完成评审。")
    Notification.objects.create(recipient=make_user(), title="碳化硅评审邀请", body="别人的通知")
    c = client_for(staff)
    url = reverse("web:notifications")
    for q in ("立项", "碳化硅衬底"):
        page = c.get(url, {"q": q}).context["page"]
        assert [n.title for n in page] == ["立项通知"], q
    body = c.get(url, {"q": "碳化硅"}).content.decode()
    assert 'name="q" value="碳化硅"' in body and "别人的通知" not in body
    body = c.get(url, {"q": "量子"}).content.decode()
    assert "没有标题或内容含“量子”的通知。换个词或少写几个字再找，或" in body
    assert f'<a href="{url}">查看全部通知</a>' in body
    body = english_client_for(staff).get(url, {"q": "量子"}).content.decode()
    assert "No notification has “量子” in its title or text." in body
    assert len(c.get(url).context["page"]) == 2


def test_the_words_are_kept_across_the_notifications_pager(staff, client_for):
    _notices(staff, 55, "中期检查提醒")
    _notices(staff, 3, "其他")
    c = client_for(staff)
    body = c.get(reverse("web:notifications"), {"q": "中期检查"}).content.decode()
    assert "q=%E4%B8%AD%E6%9C%9F%E6%A3%80%E6%9F%A5&amp;after=" in body
    first = c.get(reverse("web:notifications"), {"q": "中期检查"}).context["page"]
    after = c.get(reverse("web:notifications"), {"q": "中期检查", "after": first.next_cursor}).context["page"]
    assert len(first) == 50 and len(after) == 5
    assert all(n.title.startswith("中期检查") for n in [*first, *after])


def test_an_email_is_found_by_address_subject_or_recipient_within_its_status(
    staff, client_for, english_client_for, make_user
):
    wang = make_user(full_name="王晓明", email="wang@example.org")
    OutboundEmail.objects.create(
        recipient=wang, address="wang@example.org", subject="立项通知", status="failed"
    )
    OutboundEmail.objects.create(address="li@example.org", subject="评审邀请", status="sent")
    OutboundEmail.objects.create(address="zhao@example.org", subject="评审提醒", status="failed")
    c = client_for(staff)
    url = reverse("web:email-list")
    for q, found in (("王晓明", ["立项通知"]), ("li@", ["评审邀请"]), ("评审", ["评审提醒", "评审邀请"])):
        assert sorted(m.subject for m in c.get(url, {"q": q}).context["page"]) == sorted(found), q
    # the status kept with the words, the words kept with the status
    assert [m.subject for m in c.get(url, {"q": "评审", "status": "failed"}).context["page"]] == ["评审提醒"]
    body = c.get(url, {"q": "评审", "status": "failed"}).content.decode()
    assert 'type="hidden" name="status" value="failed"' in body
    assert 'href="?status=sent&amp;q=%E8%AF%84%E5%AE%A1"' in body
    body = c.get(url, {"q": "李", "status": "failed"}).content.decode()
    assert "这个状态下没有邮箱、主题或收件人含“李”的邮件。" in body
    assert '<a href="?q=%E6%9D%8E">在全部状态中查找</a>' in body
    body = english_client_for(staff).get(url, {"q": "量子"}).content.decode()
    assert "No e-mail has “量子” in its address, its subject or its recipient’s name." in body


def test_a_notification_is_found_by_the_words_its_reader_sees_in_either_language(
    staff, client_for, english_client_for, make_user
):
    """A notice of the system's words is found by them in the reader's language (people26): the English list
    by its English title and text, the Chinese one by the Chinese; the names it carries in both; the notices
    of plain text (a reason someone typed) as stored."""
    from django.utils.translation import gettext_noop

    from kechuang.core.messages import Message
    from kechuang.core.notifications import notify

    notify(
        recipients=[staff],
        title=Message(gettext_noop("评估结果已发布：%(c)s"), c="2026年度平台评估"),
        body=Message(gettext_noop("您有新的评审任务，请先声明无利益冲突再开始评审。")),
        email=False,
    )
    notify(recipients=[staff], title="立项通知", body="项目已立项。", email=False)
    notify(recipients=[make_user()], title=Message(gettext_noop("评估结果已发布：%(c)s"), c="x"), email=False)
    url = reverse("web:notifications")
    en, zh = english_client_for(staff), client_for(staff)

    def titles(client, q):
        return [n.title_text for n in client.get(url, {"q": q}).context["page"]]

    assert titles(en, "Evaluation results published") == ["Evaluation results published: 2026年度平台评估"]
    assert titles(en, "conflict of interest") != []  # the body, as the English page shows it
    assert titles(en, "2026年度平台评估") == ["Evaluation results published: 2026年度平台评估"]
    assert titles(zh, "评估结果已发布") == ["评估结果已发布：2026年度平台评估"]
    assert titles(zh, "无利益冲突") == ["评估结果已发布：2026年度平台评估"]
    assert titles(en, "立项") == ["立项通知"] and titles(zh, "立项") == ["立项通知"]
    assert (
        titles(en, "published")
        and "Evaluation results published" in en.get(url, {"q": "published"}).content.decode()
    )
    assert titles(en, "Quantum") == []


def test_notices_made_before_are_found_in_english_after_the_migration(staff):
    """core/0015 fills the English words of the notices already there from their stored message."""
    import importlib

    from django.apps import apps as global_apps

    from kechuang.core.notifications import notifications_of

    made = Notification.objects.create(
        recipient=staff,
        title="评估结果已发布：甲",
        message={"title": {"m": "评估结果已发布：%(c)s", "p": {"c": "甲"}}},
    )
    assert not notifications_of(user=staff, q="Evaluation results").exists()
    migration = importlib.import_module("kechuang.core.migrations.0015_notification_english")
    migration.fill(global_apps, None)  # the fill reads and writes rows only
    made.refresh_from_db()
    assert made.title_en == "Evaluation results published: 甲" and made.body_en == ""
    assert list(notifications_of(user=staff, q="Evaluation results")) == [made]
