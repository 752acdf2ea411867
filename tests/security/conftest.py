"""Fixtures shared by the security tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_counters():
    """The sign-in and rate-limit counters (django-axes, the throttles) start and end empty: they live in the
    cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


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
