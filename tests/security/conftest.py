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
