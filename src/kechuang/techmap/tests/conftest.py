"""Coverage targets for tests: units stand in for platforms and projects (techmap links to any model that
implements coverage_active()); a unit whose name starts with 停 reports its work stopped."""

import pytest

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core import pickers


@pytest.fixture
def coverable(monkeypatch):
    monkeypatch.setattr(Unit, "coverage_active", lambda self: not self.name.startswith("停"), raising=False)
    monkeypatch.setattr(Unit, "get_absolute_url", lambda self: f"/accounts/units/{self.pk}/", raising=False)
    # … and chosen by typing, as the coverage form's picker chooses (core.pickers kinds)
    monkeypatch.setitem(
        pickers._KINDS,
        "accounts.unit",
        pickers.PickKind(visible=lambda user: Unit.objects.all(), search=("name",)),
    )

    def make(name=None):
        return UnitFactory(name=name) if name else UnitFactory()

    return make
