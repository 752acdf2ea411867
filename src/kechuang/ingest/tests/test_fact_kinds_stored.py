"""Every kind of fact the extractor reads can be stored (session 29's closing CI: a random report whose table gave a
physical quantity failed the table's kind constraint — points, level and quantity were read but not storable)."""

import pytest

from kechuang.accounts.models import Role
from kechuang.ingest.models import Fact
from kechuang.ingest.parsers.extract import KINDS


def test_the_model_stores_every_kind_the_extractor_reads():
    assert set(KINDS) <= set(Fact.Kind.values)


@pytest.mark.django_db
def test_a_report_with_points_a_level_and_a_quantity_is_stored(make_user):
    from kechuang.ingest.services import document_ingest

    text = (
        "2024年全省科技工作总结\n全省研发投入强度提高0.26个百分点，技术就绪度达到6级以上，发电量120千瓦时。\n"
    )
    document, created = document_ingest(actor=make_user(Role.STAFF), data=text.encode(), filename="r.txt")
    assert created
    kinds = set(Fact.objects.filter(document=document).values_list("kind", flat=True))
    assert {"points", "level", "quantity"} <= kinds
