"""The bulk dataset generator at its tiny test scale: counts, determinism, validity, consistency, pages."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kechuang.accounts.models import Unit, User
from kechuang.accounts.validators import is_valid_credit_code
from kechuang.core.backup import database_digest
from kechuang.core.gendata import NATIONAL, plan
from kechuang.core.models import AuditEvent
from kechuang.web.gendata import dataset_generate

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 15)


class _Rollback(Exception):
    pass


def _digest_of_a_run(seed: int) -> dict:
    """Generate, take the digest, and roll the whole run back (the next run starts from the same state)."""
    try:
        with transaction.atomic():
            dataset_generate(scale="test", seed=seed, as_of=AS_OF)
            digest = database_digest()
            raise _Rollback
    except _Rollback:
        pass
    return digest


@pytest.fixture
def generated():
    return dataset_generate(scale="test", seed=7, as_of=AS_OF)


def test_province_is_a_tenth_of_national_and_test_has_floors():
    province = plan("province")
    assert province == {k: v // 10 for k, v in NATIONAL.items()}
    assert plan("national") == NATIONAL
    tiny = plan("test")
    assert all(tiny[k] >= round(NATIONAL[k] / 1000) for k in NATIONAL)
    with pytest.raises(ValueError):
        plan("galaxy")


def test_same_seed_gives_the_same_database_and_another_seed_does_not():
    first = _digest_of_a_run(3)
    again = _digest_of_a_run(3)
    other = _digest_of_a_run(4)
    assert first == again
    assert first["challenges_application"]["rows"] > 0
    assert other != first


def test_counts_follow_the_plan_and_rows_validate(generated):
    from kechuang.challenges.models import Application, Challenge
    from kechuang.platforms.models import Platform
    from kechuang.review.models import ExpertProfile, Review

    target = plan("test")
    assert Unit.objects.count() == target["units"]
    assert Platform.objects.count() == target["platforms"]
    assert ExpertProfile.objects.count() == target["experts"] + 1  # and gd_expert
    assert Challenge.objects.count() == target["challenges"]
    assert Application.objects.count() == target["applications"]
    assert abs(Review.objects.count() - target["reviews"]) <= target["reviews"] * 0.02
    assert 0.75 * target["audit_events"] <= AuditEvent.objects.count() <= 1.25 * target["audit_events"]
    assert generated["tables"]["challenges_application"] == target["applications"]
    # The bulk writer and the services it runs build one valid hash chain over every event.
    from kechuang.core.auditchain import chain_verify

    chain = chain_verify()
    assert chain.ok, chain.problem
    assert chain.checked == AuditEvent.objects.count()

    # A database with data is refused, with the way out in the message.
    with pytest.raises(CommandError, match="--flush"):
        call_command("gendata", scale="test", as_of="2026-06-15")

    # A sample of every generated table passes model validation; every credit code its checksum.
    from django.apps import apps

    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in {
            "accounts",
            "platforms",
            "challenges",
            "review",
            "evaluation",
            "techmap",
            "indicators",
        }:
            continue
        for obj in model._base_manager.order_by("pk")[:3]:
            obj.full_clean()
            checked += 1
    assert checked > 60
    assert all(
        is_valid_credit_code(c)
        for c in Unit.objects.exclude(credit_code="").values_list("credit_code", flat=True)
    )


def test_data_is_consistent_across_apps(generated):
    from kechuang.review import selectors
    from kechuang.review.conflicts import conflict_reasons
    from kechuang.review.models import Assignment, Conflict

    conflicted = set(Conflict.objects.values_list("subject_id", "expert_id"))
    facts = {p.user_id: selectors.expert_facts(p) for p in selectors.profiles_with_facts()}
    assignments = list(Assignment.objects.select_related("subject").filter(status="active"))
    assert assignments
    for a in assignments:
        assert (a.subject_id, a.expert_id) not in conflicted
        subject = selectors.review_subject_from_facts(a.subject.facts)
        key = f"{a.subject.content_type_id}:{a.subject.object_id}"
        assert conflict_reasons(subject, facts[a.expert_id], today=AS_OF, subject_key=key) == []
    # The conflicts found among the candidates are kept with their reasons, as a round keeps them.
    assert all(c.reason for c in Conflict.objects.all())
    _states_agree_across_apps()
    _evaluation_techmap_and_indicators_are_consistent()


def _states_agree_across_apps():
    from kechuang.challenges.models import Application, Challenge, Contract, Milestone
    from kechuang.review.models import Review, RoundSubject

    for contract in Contract.objects.select_related("application", "challenge"):
        assert contract.application.status == "awarded"
        assert contract.application.challenge_id == contract.challenge_id
        assert contract.challenge.status in ("awarded", "finished")
        assert contract.commissioner_id
    assert not Application.objects.filter(challenge__status="draft").exists()
    assert (
        not Application.objects.filter(status="awarded")
        .exclude(challenge__status__in=["awarded", "finished"])
        .exists()
    )
    assert not Milestone.objects.filter(status="verified", verified_at__isnull=True).exists()
    for review in Review.objects.filter(status="submitted").select_related("assignment__round__form"):
        assert review.total is not None and review.declared_no_conflict_at and review.submitted_at
        assert review.scores.count() == review.assignment.round.form.criteria.count()
    assert not Review.objects.exclude(status="submitted").filter(assignment__round__status="closed").exists()
    reviewed = set(RoundSubject.objects.values_list("object_id", flat=True))
    assert (
        set(
            Application.objects.filter(status__in=["under_review", "proposed", "awarded"]).values_list(
                "pk", flat=True
            )
        )
        <= reviewed
    )
    for ch in Challenge.objects.exclude(status="draft"):
        assert ch.published_at and ch.published_at < ch.deadline
    assert Challenge.objects.filter(
        status="published", deadline__gt=datetime.datetime(2026, 6, 15, tzinfo=datetime.UTC)
    ).exists()


def _evaluation_techmap_and_indicators_are_consistent():
    from kechuang.evaluation.models import Campaign, Computation
    from kechuang.evaluation.services import computation_verify
    from kechuang.indicators.models import Indicator, Target, Value
    from kechuang.platforms.models import Platform
    from kechuang.techmap.models import Coverage, Technology

    published = Campaign.objects.get(status="published")
    assert computation_verify(computation=Computation.objects.get(campaign=published))
    assert set(published.entries.values_list("platform__status", flat=True)) == {"operating"}
    for tech in Technology.objects.prefetch_related("trl_records"):
        latest = {r.kind: r.value for r in tech.trl_records.all()}
        assert latest == {
            "baseline": tech.trl_baseline,
            "current": tech.trl_current,
            "target": tech.trl_target,
        }
    assert Coverage.objects.filter(kind="project").exists() and Coverage.objects.filter(kind="topic").exists()
    for cov in Coverage.objects.all()[:50]:
        assert cov.target is not None
    n_regions = Value.objects.values("region").distinct().count()
    assert Value.objects.count() == Indicator.objects.count() * n_regions * 10
    assert Target.objects.exists() and Platform.objects.exists()


def test_known_logins_have_their_work_and_pages(generated, client):
    from kechuang.challenges.models import Application, Contract
    from kechuang.platforms.models import Operator
    from kechuang.review.models import Review

    for name in ("gd_staff", "gd_operator", "gd_commissioner", "gd_expert", "gd_applicant"):
        assert User.objects.get(username=name).check_password("kechuang-gendata")
    pending = Review.objects.filter(
        assignment__expert__username="gd_expert", status="pending", assignment__round__status="reviewing"
    )
    assert pending.exists()
    # gd_expert can take a pending review through to submission with the review services.
    from kechuang.review import services as review_services

    expert = User.objects.get(username="gd_expert")
    r = review_services.review_open(actor=expert, review=pending.first())
    codes = r.assignment.round.form.criteria.values_list("code", flat=True)
    r = review_services.review_save(
        actor=expert,
        review=r,
        expected_version=r.version,
        scores=dict.fromkeys(codes, 80),
        comments="方案可行。",
        opinion="建议加强中试。",
        recommendation="support",
    )
    assert review_services.review_submit(actor=expert, review=r).status == "submitted"
    assert (
        Contract.objects.filter(commissioner__username="gd_commissioner", status="in_progress").count() >= 2
    )
    applicant = User.objects.get(username="gd_applicant")
    statuses = set(Application.objects.filter(unit=applicant.unit).values_list("status", flat=True))
    assert {"draft", "under_review", "awarded"} <= statuses
    assert Operator.objects.filter(user__username="gd_operator").count() == 3

    # Their main pages render.
    from kechuang.evaluation.models import Campaign

    review = Review.objects.filter(assignment__expert__username="gd_expert", status="pending").first()
    campaign = Campaign.objects.get(status="published")
    pages = {
        "gd_staff": [
            "/dashboard/",
            "/platforms/",
            "/challenges/",
            "/review/rounds/",
            "/review/experts/",
            "/evaluation/",
            f"/evaluation/{campaign.pk}/",
            "/techmap/",
            "/indicators/",
        ],
        "gd_expert": ["/dashboard/", "/review/my/", f"/review/reviews/{review.pk}/"],
        "gd_applicant": ["/dashboard/", "/challenges/"],
        "gd_commissioner": ["/dashboard/"],
        "gd_operator": ["/dashboard/", "/platforms/reports/"],
    }
    for username, urls in pages.items():
        # Signed in through the login page with the generated password, as the load benchmark signs in.
        client.logout()
        response = client.post("/accounts/login/", {"username": username, "password": "kechuang-gendata"})
        assert response.status_code == 302, username
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
