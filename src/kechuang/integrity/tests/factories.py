import datetime

import factory
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory

from ..models import Record


class RecordFactory(factory.django.DjangoModelFactory):
    """A finding in force from a year ago for three years; a person record when `person` is given."""

    class Meta:
        model = Record

    subject_kind = factory.LazyAttribute(lambda o: "person" if o.person else "unit")
    person = None
    unit = factory.LazyAttribute(lambda o: o.person.unit if o.person else UnitFactory())
    person_name = factory.LazyAttribute(lambda o: str(o.person) if o.person else "")
    source = "科技部通报"
    decision = "三年内不得申报项目"
    decided_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    starts_on = factory.SelfAttribute("decided_on")
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=3 * 365))
    bars_applying = True
