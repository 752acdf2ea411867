"""The challenge list's and the project page's milestone rows, written by one tag each (issue #19), are the
rows the old `{% for %}` of the templates wrote: same bytes, same escaping, in Chinese and in English."""

import datetime
import re

import pytest
from django.template import Context, Engine
from django.utils import timezone, translation

from kechuang.challenges.models import Challenge, Milestone
from kechuang.challenges.templatetags.challenges_tags import challenge_rows, milestone_rows

from .factories import ChallengeFactory, ContractFactory

OLD = Engine(
    libraries={"i18n": "django.templatetags.i18n", "kechuang": "kechuang.core.templatetags.kechuang"},
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "challenges": '{% load i18n kechuang %}{% for c in page %}<tr><td>{{ c.code }}</td><td><a href="{{ c.get_absolute_url }}">{{ c.title }}</a></td><td>{{ c.topic.get_track_display }}</td><td class="num">{{ c.budget_ceiling|wan }}</td>\n'
                '<td>{{ c.deadline|date:"DATETIME_FORMAT" }}{% if c.status == \'published\' and c.deadline > now %} <span class="badge ok">{% translate "揭榜中" %}</span>{% endif %}</td>\n'
                '<td>{% if c.is_racing %}<span class="badge warn">{% blocktranslate with n=c.max_winners %}赛马制 {{ n }} 家{% endblocktranslate %}</span>{% else %}1{% endif %}</td>\n'
                '<td><span class="badge">{{ c.get_status_display }}</span></td><td class="num">{{ c.application_count }}</td></tr>\n'
                '{% empty %}<tr><td colspan="8" class="empty">{% translate "暂无榜单。" %}</td></tr>{% endfor %}',
                "milestones": '{% load kechuang %}{% for m in milestones %}<tr><td>M{{ m.seq }}</td><td><a href="{{ m.get_absolute_url }}">{{ m.title }}</a></td><td>{{ m.due_date|date }}</td><td class="num">{{ m.tranche|wan }}</td><td><span class="badge {% if m.status == \'verified\' %}ok{% endif %}">{{ m.get_status_display }}</span></td><td>{% if m.flag %}<span class="badge {% if m.flag == \'overdue\' %}bad{% else %}warn{% endif %}">{{ m.get_flag_display }}</span>{% endif %}</td></tr>{% endfor %}',
            },
        )
    ],
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_are_the_old_templates_rows(db, language):
    ChallengeFactory(published=True, racing=True, title='<b>榜</b> & "引号"', budget_ceiling="1234.50")
    ChallengeFactory(closed=True)
    ChallengeFactory(published=True, deadline=timezone.now() - datetime.timedelta(days=2))
    contract = ContractFactory()
    Milestone.objects.filter(contract=contract, seq=1).update(
        flag="overdue", status="verified", title="<i>中试</i>"
    )
    Milestone.objects.filter(contract=contract, seq=2).update(flag="at_risk")
    Milestone.objects.create(
        contract=contract, seq=3, title="收尾", due_date=datetime.date(2028, 1, 2), tranche=0
    )
    now = timezone.now()
    with translation.override(language):
        page = list(Challenge.objects.select_related("topic").order_by("code"))
        for c in page:
            c.application_count = c.pk * 1000
        ctx = Context({"page": page, "now": now})
        assert challenge_rows(ctx, page, now) == OLD.get_template("challenges").render(ctx)
        assert challenge_rows(ctx, [], now) == OLD.get_template("challenges").render(Context({"page": []}))
        milestones = list(contract.milestones.all())
        ctx = Context({"milestones": milestones})
        assert milestone_rows(ctx, milestones) == OLD.get_template("milestones").render(ctx)
        assert milestone_rows(ctx, []) == ""
    text = challenge_rows(Context(), page, now)
    assert "&lt;b&gt;榜&lt;/b&gt; &amp; &quot;引号&quot;" in text and "<b>" not in text


def test_the_list_page_shows_the_rows(client):
    ChallengeFactory(published=True, title="公开榜单")
    page = client.get("/challenges/?status=published").content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    assert "公开榜单" in body and 'class="badge ok"' in body


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "600 万元"), ("en", "CNY 6 million")])
def test_a_milestones_tranche_reads_as_money(db, language, shown):
    """The tranche is money in the reader's words (was "600.00" under a 万元 header, read as a bare number)."""
    contract = ContractFactory()
    Milestone.objects.filter(contract=contract).update(tranche="600.00")
    with translation.override(language):
        milestones = list(contract.milestones.all())
        text = milestone_rows(Context({"milestones": milestones}), milestones)
    assert shown in text and "600.00" not in text
