"""Fixtures shared by the security tests."""

import time

import pytest
import time_machine
from django.core.cache import cache


@pytest.fixture
def fresh_counters():
    """The sign-in and rate-limit counters (django-axes, the throttles) start and end empty: they live in the
    cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def one_window():
    """The clock stands still five seconds into an hour: the address counters (core.ratelimit) count in fixed
    windows aligned to the clock, so a test posting several times must not cross a window's end (at load a run
    did, and its posts were counted in two windows: a flake seen in session 24)."""
    now = int(time.time())
    with time_machine.travel(now - now % 3600 + 5, tick=False) as clock:
        yield clock


@pytest.fixture
def endorser():
    """The government unit a unit's registration names as its endorser (晋中市科学技术局)."""
    from kechuang.accounts.models import Unit
    from kechuang.accounts.tests.factories import UnitFactory

    return UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """Post the registration page with `data` as `client`, its e-mails sent (on commit); asserts `status`."""

    def post(data, status=200, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post("/accounts/register/", data, **extra)
        assert r.status_code == status, r.context["form"].errors
        return r

    return post
