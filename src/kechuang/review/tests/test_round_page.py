"""The round page offers the expert pool once for every swap field (a datalist), not a select of the whole
pool per assignment: at province size a round with 229 experts and 425 assignments was a 1.8 MB page."""

import pytest

pytestmark = pytest.mark.django_db


def test_round_page_lists_the_pool_once(staff, client_for, reviewing_round):
    rnd, _subjects, experts = reviewing_round
    html = client_for(staff).get(rnd.get_absolute_url()).content.decode()
    swap_fields = html.count('name="expert"')
    assert swap_fields == rnd.assignments.filter(status="active").count() > 1
    datalist = html.split('<datalist id="round-experts">')[1].split("</datalist>")[0]
    assert datalist.count("<option value=") == len(experts)
    # Apart from the datalist, no option lists the pool (the page's other selects are small and fixed).
    assert html.count("<option value=") - len(experts) < len(experts)
    assert html.count('list="round-experts"') == swap_fields
