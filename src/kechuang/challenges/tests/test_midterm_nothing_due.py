"""A mid-term score with no milestone due yet: nothing to score the milestones on, so no milestone score (not a
full 100) and the total is the indicator progress alone — on the project's page (the preview and a recorded
check), in the API (null with a note in the reader's language) and for the checks recorded before (0017)."""

import datetime
import importlib
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from kechuang.challenges import services
from kechuang.challenges.models import MidtermCheck

from .factories import ContractFactory

pytestmark = pytest.mark.django_db

BEFORE_ANY_DUE = datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC)  # M1 falls due on 2026-12-31
AFTER_M1 = datetime.datetime(2027, 1, 15, 10, tzinfo=datetime.UTC)


def test_before_any_milestone_is_due_the_page_says_nothing_is_scored(
    make_user, client_for, english_client_for
):
    from kechuang.accounts.models import Role

    contract = ContractFactory(running=True)
    staff = make_user(Role.STAFF)
    with time_machine.travel(BEFORE_ANY_DUE, tick=False):
        body = client_for(staff).get(contract.get_absolute_url()).content.decode()
        assert "尚无到期的里程碑，里程碑不计分" in body and "里程碑 100" not in body
        body = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
        assert (
            "no milestone is due yet, so milestones are not scored" in body and "milestones 100" not in body
        )
        check = services.midterm_check_record(actor=staff, contract=contract, conclusion="continue")
    assert check.milestone_score is None and check.score == check.indicator_score
    with time_machine.travel(BEFORE_ANY_DUE, tick=False):
        body = client_for(staff).get(contract.get_absolute_url()).content.decode()
        assert "里程碑 尚无到期，不计分" in body
        body = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
        assert "none due yet, not scored" in body


def test_once_a_milestone_is_due_it_is_scored(make_user, client_for):
    from kechuang.accounts.models import Role

    contract = ContractFactory(running=True)
    staff = make_user(Role.STAFF)
    with time_machine.travel(AFTER_M1, tick=False):
        check = services.midterm_check_record(actor=staff, contract=contract, conclusion="continue")
        body = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert check.milestone_score == Decimal("0.00")  # due, not verified
    assert "不计分" not in body


def test_the_api_gives_no_milestone_score_and_says_why_in_the_readers_language(make_user, api_for):
    from kechuang.accounts.models import Role

    contract = ContractFactory(running=True)
    staff = make_user(Role.STAFF)
    api = api_for(staff)
    url = reverse("api:challenges-contract-midterm", args=[contract.pk])
    with time_machine.travel(BEFORE_ANY_DUE, tick=False):
        made = api.post(url, {"conclusion": "continue", "notes": ""}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["milestone_score"], made.json()["milestone_note"]) == (
        None,
        "尚无到期的里程碑，里程碑不计分。",
    )
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (row,) = api.get(url).json()
    assert row["milestone_score"] is None and row["milestone_note"].startswith("No milestone is due yet")


def test_a_check_recorded_before_with_nothing_due_loses_its_full_mark():
    contract = ContractFactory(running=True)
    fields = {"contract": contract, "checked_on": datetime.date(2026, 6, 1), "conclusion": "continue"}
    scored = {"indicator_score": 40, "score": 70}
    old = MidtermCheck.objects.create(
        **fields, **scored, milestone_score=100, detail={"milestone_score": 100.0, "milestones_due": 0}
    )
    due = MidtermCheck.objects.create(
        **fields, **scored, milestone_score=100, detail={"milestone_score": 100.0, "milestones_due": 1}
    )
    migration = importlib.import_module("kechuang.challenges.migrations.0017_midterm_milestone_score_none")
    migration.nothing_due_is_not_scored(apps, None)
    old.refresh_from_db()
    due.refresh_from_db()
    assert (old.milestone_score, old.detail["milestone_score"], old.score) == (None, None, Decimal("70.00"))
    assert due.milestone_score == Decimal("100.00")
