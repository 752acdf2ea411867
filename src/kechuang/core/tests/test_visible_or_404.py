"""core.permissions.get_visible_or_404: a missing object and one the user may not see answer the same 404."""

import uuid

import pytest
from django.http import Http404

from kechuang.core.models import Job
from kechuang.core.permissions import get_visible_or_404


@pytest.fixture
def job(db):
    return Job.objects.create(kind="core.selftest", title="自检")


def test_a_model_or_queryset_with_a_predicate(job):
    assert get_visible_or_404(Job, user=None, pk=job.pk) == job
    assert get_visible_or_404(Job.objects.all(), user="u", visible=lambda u, o: u == "u", pk=job.pk) == job
    with pytest.raises(Http404):
        get_visible_or_404(Job.objects, user="v", visible=lambda u, o: u == "u", pk=job.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Job, user=None, pk=uuid.uuid4())


def test_a_selector_getter_filters_by_user_or_is_checked_by_the_predicate(job):
    def getter(*, user, pk):
        return Job.objects.filter(pk=pk).first() if user == "staff" else None

    def raising_getter(*, pk):
        return Job.objects.get(pk=pk)

    assert get_visible_or_404(getter, user="staff", pk=job.pk) == job
    with pytest.raises(Http404):
        get_visible_or_404(getter, user="applicant", pk=job.pk)
    assert get_visible_or_404(raising_getter, user="u", visible=lambda u, o: True, pk=job.pk) == job
    with pytest.raises(Http404):
        get_visible_or_404(raising_getter, user="u", visible=lambda u, o: True, pk=uuid.uuid4())
    with pytest.raises(Http404):
        get_visible_or_404(raising_getter, user="u", visible=lambda u, o: False, pk=job.pk)
