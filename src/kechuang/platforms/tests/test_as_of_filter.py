"""?as_of= on the platform pages (statistics, a platform's members): a value that is not a date is named
beside the date box on the page itself (it was a flash message), the page shown for today (200)."""

import pytest
from django.urls import reverse

from kechuang.platforms.models import Kind

from .factories import PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["statistics", "detail"])
def test_a_bad_as_of_is_named_beside_the_date_box(client_for, staff, page):
    if page == "statistics":
        url = reverse("platforms:statistics")
    else:
        url = PlatformFactory(kind=Kind.ALLIANCE).get_absolute_url()  # an alliance lists its members by date
    r = client_for(staff).get(url, {"as_of": "yesterday"})
    body = r.content.decode()
    assert r.status_code == 200
    assert 'aria-describedby="as_of-error"' in body and "“yesterday”不是有效的日期" in body
    assert 'value="yesterday"' in body and not list(r.context["messages"])
    good = client_for(staff).get(url, {"as_of": "2021-05-24"}).content.decode()
    assert 'value="2021-05-24"' in good and "as_of-error" not in good
