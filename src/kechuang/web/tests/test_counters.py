"""The counts kept by the writes (core.counters) equal a count of the tables after random sequences of
service calls (refused ones included), and `kechuang counters rebuild|check` find and mend a drift."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kechuang.challenges import services as ch_services
from kechuang.challenges.models import Application, Challenge, Contract, Result
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory, ContractFactory
from kechuang.core import counters, notifications
from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import Counter, OutboundEmail
from kechuang.core.roles import Role
from kechuang.review import services as rv_services
from kechuang.review.models import ExpertProfile

pytestmark = pytest.mark.django_db


def _unscoped() -> list[str]:
    """The counts over whole tables (not the scoped ones, not the fragments' versions)."""
    return sorted(
        n
        for n, c in counters.registered().items()
        if isinstance(c, counters.Counted | counters.Recounted) and not getattr(c, "scope", "")
    )


def _all_real() -> dict:
    return {name: counters.registered()[name].real().get("", 0) for name in _unscoped()}


def _assert_kept():
    assert counters.drift() == []
    assert counters.read(*_unscoped()) == _all_real()
    ids = list(Challenge.objects.values_list("pk", flat=True))
    real = counters.registered()["challenges.applications"].real()
    assert counters.read_scoped("challenges.applications", ids) == {str(i): real.get(str(i), 0) for i in ids}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_equal_the_tables_after_random_service_calls(seed, make_user):
    rnd = random.Random(seed)
    staff = make_user(Role.STAFF)
    # Half the counts are read (rows made) before the writes, half are first written by them.
    counters.read(*_unscoped()[::2])

    def pick(qs):
        rows = list(qs.order_by("pk"))
        return rnd.choice(rows) if rows else None

    def new_application():
        ch = pick(Challenge.objects.filter(status="published")) or ChallengeFactory(published=True)
        ApplicationFactory(challenge=ch)

    def submit():
        app = pick(Application.objects.filter(status__in=["draft", "returned", "withdrawn"]))
        if app:
            ch_services.application_submit(actor=app.leader, application=app)

    def withdraw():
        app = pick(Application.objects.filter(status="submitted"))
        if app:
            ch_services.application_withdraw(actor=app.leader, application=app, reason="重新准备")

    def formal():
        app = pick(Application.objects.filter(status="submitted"))
        if app:
            ch_services.formal_check(
                actor=staff, application=app, passed=rnd.random() < 0.5, reasons="材料不全", final=False
            )

    def close():
        ch = pick(Challenge.objects.filter(status="published"))
        if ch:
            Challenge.objects.filter(pk=ch.pk).update(deadline=ch.deadline.replace(year=2020))
            counters.touched(Challenge)
            ch.refresh_from_db()
            ch_services.challenge_close(actor=staff, challenge=ch)

    def delete_application():
        app = pick(Application.objects.filter(contract__isnull=True))
        if app:
            app.delete()

    def contract():
        ContractFactory(running=rnd.random() < 0.5)

    def change():
        c = pick(Contract.objects.filter(status="in_progress"))
        if c:
            ch_services.change_request_create(
                actor=c.leader, contract=c, kind="budget", reason="涨价", payload={"budget": "700"}
            )

    def result():
        c = pick(Contract.objects.all()) or ContractFactory(running=True)
        Result.objects.create(contract=c, kind="paper", title="论文", achieved_on=datetime.date(2026, 6, 1))

    def email():
        user = make_user(Role.APPLICANT)
        notifications.notify(recipients=[user], title="通知", body="", url="/", kind="test", email=True)
        mail = pick(OutboundEmail.objects.all())
        if mail and rnd.random() < 0.5:
            notifications.email_give_up(mail.pk)
        elif mail:
            mail.refresh_from_db()
            notifications.email_resend(actor=staff, email=mail)

    def expert():
        profile = pick(ExpertProfile.objects.exclude(status="approved"))
        if profile is None or rnd.random() < 0.3:
            user = make_user(Role.EXPERT)
            rv_services.expert_profile_create(actor=user, user=user, title="教授")
            return
        action = {"draft": "submit", "rejected": "submit", "submitted": rnd.choice(["approve", "reject"])}
        if profile.status in action:
            rv_services.expert_profile_transition(
                actor=profile.user if profile.status != "submitted" else staff,
                profile=profile,
                action=action[profile.status],
                reason="意见",
            )

    steps = [new_application, submit, withdraw, formal, close, delete_application, contract, change, result]
    steps += [email, expert]
    weights = [4, 4, 1, 2, 1, 1, 1, 1, 1, 2, 3]
    for _ in range(30):
        step = rnd.choices(steps, weights)[0]
        try:
            with transaction.atomic():
                step()
        except (ApplicationError, PermissionDenied, ValidationError):
            pass  # a refused call changes nothing; the counts must still hold
        assert counters.drift() == [], step.__name__
    _assert_kept()


def test_rebuild_mends_a_drift_and_check_reports_it(make_user, capsys):
    ApplicationFactory(submitted=True)
    assert counters.read("challenges.published")["challenges.published"] == 1
    Counter.objects.filter(name="challenges.published").update(value=7)  # a change made by hand
    with pytest.raises(CommandError):
        call_command("counters", "check")
    assert "challenges.published: kept 7, counted 1" in capsys.readouterr().out
    call_command("counters", "rebuild")
    assert counters.read("challenges.published")["challenges.published"] == 1
    call_command("counters", "check")


def test_a_write_in_a_rolled_back_transaction_leaves_the_count(make_user):
    counters.read("challenges.published")
    with pytest.raises(RuntimeError), transaction.atomic():
        ChallengeFactory(published=True)
        assert counters.read("challenges.published")["challenges.published"] == 1
        raise RuntimeError
    assert counters.read("challenges.published")["challenges.published"] == 0


def test_the_platform_cards_are_cached_per_role_and_a_platform_write_invalidates_them(make_user):
    import datetime

    from django.core.cache import cache

    from kechuang.platforms import dashboard as platform_cards
    from kechuang.platforms import services as platform_services
    from kechuang.platforms.tests.factories import PlatformFactory

    cache.clear()
    PlatformFactory()
    staff = make_user(Role.STAFF)

    def cards(user):
        with CaptureQueriesContext(connection) as ctx:
            got = {c.title: c.value for c in platform_cards.cards_for(user)}
        return got, [q["sql"] for q in ctx.captured_queries]

    first, sql_first = cards(make_user(Role.STAFF))
    again, sql_again = cards(make_user(Role.COMMISSIONER))  # the same for everyone who sees all platforms
    assert first["山西省 · 在运行创新平台"] == again["山西省 · 在运行创新平台"] == "1"
    assert any("platforms_" in q for q in sql_first)
    assert not any("platforms_" in q for q in sql_again)  # only the roles and the counter rows
    host = PlatformFactory().host  # a write (a factory's save, as a service's) steps the version
    platform_services.platform_create(
        actor=staff,
        code="GX-0001",
        name="光伏材料重点实验室",
        kind="provincial_key_lab",
        host=host,
        established=datetime.date(2021, 1, 1),
    )
    after, sql_after = cards(make_user(Role.STAFF))
    assert after["山西省 · 在运行创新平台"] == "3" and any("platforms_" in q for q in sql_after)
    # The public's cards are their own fragment: unpublished platforms stay out of it.
    PlatformFactory(published=False)
    assert cards(None)[0]["山西省 · 在运行创新平台"] == "3"
