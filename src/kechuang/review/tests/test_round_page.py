"""The round page lists no expert pool: each swap field is a picker that searches the pool as staff type
(web:pick-experts; issue #13.1: nobody types an expert's user id). At province size a round with 229
experts and 425 assignments was a 1.8 MB page when every swap field listed the pool."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_round_page_swaps_experts_with_a_picker_not_a_list_or_an_id(staff, client_for, reviewing_round):
    rnd, _subjects, experts = reviewing_round
    c = client_for(staff)
    html = c.get(rnd.get_absolute_url()).content.decode()
    swap_fields = html.count('name="expert"')
    assert swap_fields == rnd.assignments.filter(status="active").count() > 1
    assert html.count(f'data-picker="{reverse("web:pick-experts")}"') == swap_fields
    assert "专家用户编号" not in html and 'type="number" min="1" required' not in html
    # No option lists the pool.
    assert not any(f'<option value="{p.user_id}"' in html for p in experts)
    # What the picker finds for a name is the expert's user, which the swap form posts.
    e = experts[1].user
    found = c.get(reverse("web:pick-experts"), {"q": str(e)}).json()["results"]
    assert str(e.pk) in [r["value"] for r in found]
