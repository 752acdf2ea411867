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

pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker):
    """The whole demo province as `kechuang demo` loads it, challenges' part in its place (dbtemplate.demo_load:
    the run's demo template, else the command run here); taken away after the module. This test loaded
    accounts' and challenges' parts itself (about 6 s of CPU a run); its second load, in its transaction, is
    rolled back with it."""
    from kechuang.core import dbtemplate

    with django_db_blocker.unblock():
        yield dbtemplate.demo_load()
        dbtemplate.demo_unload()


@pytest.mark.django_db
def test_demo_loads_every_stage_and_is_idempotent(demo_province):
    from kechuang.challenges import demo

    out = io.StringIO()
    _the_showcase_list()
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
    assert counts[:3] == (12, 11, 13)
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
    # a report refers to no attachment the demo does not hold (walker: 详见附件 with nothing attached)
    reports = list(Milestone.objects.exclude(report="").values_list("report", flat=True))
    assert reports and not [r for r in reports if "附件" in r]
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


def _the_showcase_list():
    """One list (JB-<year>-013) pins the showcase type (揭榜挂帅 with 预申报, 函评 then 答辩, 绩效评价), open at its
    预申报 with a pre-application; 揭榜挂帅's newest version, which new lists pin, keeps none of those stages.
    Read after the demo's first load, as its own test did when it loaded the demo once more for it."""
    from django.utils import timezone

    from kechuang.challenges import programme
    from kechuang.challenges.models import PreApplication

    ch = Challenge.objects.get(code=f"JB-{timezone.localdate().year}-013")
    assert ch.programme_version.programme.name == programme.SHOWCASE_NAME and ch.status == "published"
    kinds = ch.stage_kinds
    assert {"pre_application", "letter_review", "panel_review", "performance"} <= set(kinds)
    assert programme.runs_pre_application(ch) and ch.has_defence and programme.runs_performance(ch)
    assert PreApplication.objects.filter(challenge=ch).count() == 1
    current = programme.current_version()
    assert current.programme.name == programme.PROGRAMME_NAME
    assert not {"pre_application", "letter_review", "performance"} & {s["kind"] for s in current.stages}
    others = Challenge.objects.exclude(pk=ch.pk)
    assert set(others.values_list("programme_version", flat=True)) == {current.pk}
