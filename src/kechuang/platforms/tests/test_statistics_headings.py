"""The statistics page's cards are headings under the page's h1, not a jump from h1 to h3 (axe heading-order)."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_statistics_headings_do_not_skip_a_level(client_for, staff):
    page = client_for(staff).get(reverse("platforms:statistics")).content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", page)]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
