"""Fixtures shared by every app's tests: one signed-in client per role, role groups seeded."""

import pytest
from hypothesis import settings as hypothesis_settings

from kechuang.core.roles import Role

# Property tests check what holds, not how fast: no per-example deadline (a shared or loaded machine made
# the default 200 ms one fail at random). Speed is measured in benchmarks/.
hypothesis_settings.register_profile("kechuang", deadline=None)
hypothesis_settings.load_profile("kechuang")


@pytest.fixture(autouse=True)
def _roles(db):
    from kechuang.accounts.services import roles_sync

    roles_sync()


@pytest.fixture(autouse=True)
def _language_reset():
    """A page requested in English (the language cookie) leaves English active in this thread: back to the
    default after each test, so the next one reads Chinese as it expects."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db):
    """make_user(role=Role.STAFF, unit=None, **fields) -> a saved user holding that role."""
    from kechuang.accounts.tests.factories import UserFactory

    def make(role: str | None = None, **fields):
        return UserFactory(roles=[role] if role else [], **fields)

    return make


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def commissioner(make_user):
    return make_user(Role.COMMISSIONER)


@pytest.fixture
def expert(make_user):
    return make_user(Role.EXPERT)


@pytest.fixture
def applicant(make_user):
    return make_user(Role.APPLICANT)


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for():
    """api_for(user) -> a DRF APIClient authenticated as that user (None: anonymous)."""
    from rest_framework.test import APIClient

    def make(user):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return make
