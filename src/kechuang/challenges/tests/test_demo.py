"""The demo loader: every lifecycle stage present, and idempotent."""

import io

import pytest

from kechuang.challenges.models import (
    Application,
    Challenge,
    Contract,
    Milestone,
    Need,
    Result,
    Topic,
    Transfer,
)


@pytest.mark.django_db
def test_demo_loads_every_stage_and_is_idempotent():
    from kechuang.accounts import demo as accounts_demo
    from kechuang.challenges import demo

    accounts_demo.load()
    out = io.StringIO()
    demo.load(stdout=out)
    counts = (
        Topic.objects.count(),
        Need.objects.count(),
        Challenge.objects.count(),
        Application.objects.count(),
        Contract.objects.count(),
    )
    demo.load(stdout=out)
    assert counts == (
        Topic.objects.count(),
        Need.objects.count(),
        Challenge.objects.count(),
        Application.objects.count(),
        Contract.objects.count(),
    )
    assert counts[:3] == (12, 11, 12)
    statuses = set(Challenge.objects.values_list("status", flat=True))
    assert statuses == {"draft", "published", "closed", "awarded", "finished"}
    assert Challenge.objects.get(code="JB-2020-003").status == "finished"
    assert set(Application.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "under_review",
        "proposed",
        "awarded",
    }
    assert set(Contract.objects.values_list("status", flat=True)) == {"in_progress", "finished"}
    assert Challenge.objects.get(max_winners=2).contracts.filter(status="in_progress").count() == 2
    loco = Result.objects.get(title="氢燃料电池混合动力机车样车下线")
    assert (
        loco.achieved_on.isoformat() == "2021-01-27"
        and loco.is_stage_result
        and loco.contract.challenge.year == 2020
    )
    assert Milestone.objects.filter(flag="overdue").exists()
    assert Milestone.objects.filter(status="reported").exists()
    assert Transfer.objects.count() == 2
    assert Need.objects.filter(topic__isnull=True).count() == 3
    # One joint application (联合揭榜): two partner units with their roles, a team member from each.
    [joint] = Application.objects.filter(partners__isnull=False).distinct()
    assert [(p.unit.name, p.get_role_display()) for p in joint.partners.all()] == [
        ("山西大学", "参与单位"),
        ("太原理工大学", "协作单位"),
    ]
    assert {m.unit.name for m in joint.members.all() if m.unit_id} == {"山西大学", "太原理工大学"}
    assert set(joint.review_subject().unit_ids) == {joint.unit_id} | {p.unit_id for p in joint.partners.all()}
