"""No form lists a table that grows with the data (platforms, units, topics, experts, scoring forms) as
<option>s: at national size that is 5,000 platforms or 50,000 units per page view. Such rows are typed by
name or code (core.fields.LookupChoiceField / LookupMultipleChoiceField) and still accepted by id."""

import re

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory, TopicFactory
from kechuang.evaluation.tests.factories import CampaignFactory
from kechuang.platforms.tests.factories import PlatformFactory
from kechuang.review.tests.factories import ExpertProfileFactory, ReviewFormFactory

pytestmark = pytest.mark.django_db


def _options(body: str) -> list[str]:
    return re.findall(r"<option[^>]*>([^<]*)</option>", body)


def test_forms_render_no_option_per_row_of_a_big_table(client_for, staff):
    platforms = [PlatformFactory(name=f"大表平台{i:02d}", status="operating") for i in range(4)]
    units = [UnitFactory(name=f"大表单位{i:02d}") for i in range(4)]
    topics = [TopicFactory(title=f"大表课题{i:02d}") for i in range(4)]
    forms_ = [ReviewFormFactory(name=f"大表评分表{i:02d}") for i in range(4)]
    experts = [ExpertProfileFactory(user__username=f"bigtable_expert_{i}").user for i in range(4)]
    from kechuang.challenges import services

    ch = ChallengeFactory(closed=True)
    ApplicationFactory(challenge=ch, status="formal_passed")
    services.review_round_start(actor=staff, challenge=ch, k=1)
    rows = [p.name for p in platforms] + [p.code for p in platforms] + [u.name for u in units]
    rows += [t.title for t in topics] + [f.name for f in forms_] + [e.username for e in experts]
    c = client_for(staff)
    for url in (
        reverse("platforms:reorganisation-create"),
        reverse("evaluation:detail", args=[CampaignFactory().pk]),
        reverse("accounts:unit-edit", args=[units[0].pk]),
        reverse("challenges:challenge-create"),
        reverse("challenges:challenge-edit", args=[ChallengeFactory().pk]),
        reverse("review:round-create"),
        reverse("challenges:challenge-review", args=[ch.pk]),
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        options = _options(r.content.decode())
        assert not [o for o in options if any(row in o for row in rows)], url


def test_platforms_are_picked_in_the_evaluation_and_reorganisation_forms_and_codes_still_accepted(
    client_for, staff
):
    a = PlatformFactory(code="PT-A-001", status="operating")
    b = PlatformFactory(code="PT-B-002", status="operating")
    new = PlatformFactory(code="PT-N-003", status="building")
    campaign = CampaignFactory()
    c = client_for(staff)
    c.post(reverse("evaluation:entries", args=[campaign.pk]), {"platforms": "PT-A-001\nPT-B-002"})
    assert set(campaign.entries.values_list("platform__code", flat=True)) == {"PT-A-001", "PT-B-002"}
    # the form's picker holds the entries (by name), not codes to type
    body = c.get(reverse("evaluation:detail", args=[campaign.pk])).content.decode()
    assert f'value="{a.pk}" selected>{a.name}' in body and f'value="{b.pk}" selected>{b.name}' in body
    r = c.post(reverse("evaluation:entries", args=[campaign.pk]), {"platforms": "PT-NONE-9"})
    assert r.status_code == 400 and "PT-NONE-9" in r.content.decode()  # refused, shown with the reason
    assert campaign.entries.count() == 2
    r = c.post(
        reverse("platforms:reorganisation-create"),
        {
            "kind": "merge",
            "date": "2024-05-01",
            "sources": "PT-A-001, PT-B-002",
            "targets": "PT-N-003",
            "note": "x",
            "confirmed": "1",  # the confirmation page's answer (it says what will happen first)
        },
    )
    assert r.status_code in (200, 302)
    from kechuang.platforms.models import Reorganisation

    reorg = Reorganisation.objects.get()
    assert set(reorg.sources.all()) == {a, b} and list(reorg.targets.all()) == [new]


def test_the_expert_is_typed_by_username_on_the_challenge_review_page(client_for, staff):
    from kechuang.challenges import services
    from kechuang.review.models import Assignment

    ch = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=ch, status="formal_passed")
    expert = ExpertProfileFactory(user__username="typed_expert").user
    services.review_round_start(actor=staff, challenge=ch, k=1)
    c = client_for(staff)
    url = reverse("challenges:challenge-review", args=[ch.pk])
    # one the picker does not know: the review page again (400) with why inside the form, the reason kept
    r = c.post(url, {"mode": "assign", "application": app.pk, "expert": "nobody_here", "reason": "补充专家"})
    assert r.status_code == 400 and "补充专家" in r.content.decode()
    assert not Assignment.objects.filter(round_id=ch.review_round_id).exists()
    c.post(url, {"mode": "assign", "application": app.pk, "expert": "typed_expert", "reason": "领域匹配"})
    assert Assignment.objects.filter(expert=expert, round_id=ch.review_round_id).exists()
