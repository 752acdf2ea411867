"""The bigram search (core.bigram) answers exactly what `icontains` answers, ranked, from an index.

Names are generated from a small alphabet so that queries of one, two and more characters hit many rows and
many near-misses (rows holding every bigram of the query but not the query itself).
"""

import io

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.models import Unit
from kechuang.core import bigram

from .factories import UnitFactory, UserFactory

ALPHABET = "教授量子计算科学研究院中国大工程技术中心实验室省重点ab"
names = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=10), min_size=1, max_size=8, unique=True)


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=names, data=st.data())
def test_bigram_matches_are_the_icontains_matches_ranked(names, data):
    pick = data.draw(st.sampled_from(names))
    i = data.draw(st.integers(0, len(pick) - 1))
    j = data.draw(st.integers(i + 1, len(pick)))
    query = data.draw(st.one_of(st.just(pick[i:j]), st.text(alphabet=ALPHABET, min_size=1, max_size=4)))
    try:
        with transaction.atomic():
            for n in names:
                UnitFactory(name=n)
            expected = set(Unit.objects.filter(name__icontains=query).values_list("name", flat=True))
            # The index words alone find every icontains row (they may find more) ...
            through_index = set(
                Unit.objects.filter(search_bigrams__bigram=query).values_list("name", flat=True)
            )
            assert expected <= through_index
            # ... and with the icontains test on top, exactly those rows.
            found = list(
                bigram.ranked(
                    Unit.objects.filter(bigram.matches("search_bigrams", query, "name")), "name", query
                ).values_list("name", flat=True)
            )
            assert set(found) == expected
            # Ranked: the name equal to the query first, then names starting with it, then the shorter.
            keys = [(0 if n == query else 1 if n.startswith(query) else 2, len(n)) for n in found]
            assert keys == sorted(keys)
            raise _Rollback
    except _Rollback:
        pass


def test_two_character_query_asks_for_one_bigram_and_one_character_for_itself():
    assert len(bigram.query_words("教授")) == 1
    assert len(bigram.query_words("量子计算")) == 3
    assert bigram.query_words("量") == [bigram.text_words("量")[0]]
    # Words are plain ASCII letters, so every database parses them the same way.
    assert all(w.isascii() and w.isalpha() for w in bigram.text_words("中国 A-1（教授）"))


@pytest.mark.django_db
def test_column_kept_by_save_and_rebuilt_by_the_command():
    unit = UnitFactory(name="量子计算研究院")
    assert Unit.objects.filter(search_bigrams__bigram="量子").exists()
    unit.name = "光学工程中心"
    unit.save(update_fields=["name"])
    assert not Unit.objects.filter(search_bigrams__bigram="量子").exists()
    assert Unit.objects.filter(search_bigrams__bigram="光学").exists()
    Unit.objects.filter(pk=unit.pk).update(search_bigrams="")  # written around save()
    from django.core.management import call_command

    call_command("search", "rebuild", stdout=io.StringIO())
    assert Unit.objects.filter(search_bigrams__bigram="光学").exists()
    user = UserFactory(full_name="王教授")
    assert list(
        type(user)
        .objects.filter(bigram.matches("search_bigrams", "教授", "full_name"))
        .values_list("pk", flat=True)
    ) == [user.pk]


@pytest.mark.django_db
def test_postgres_answers_from_the_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("GIN index on PostgreSQL only")
    UnitFactory(name="教授楼")
    with connection.cursor() as cur:
        # SET (not SET LOCAL): it must hold whether or not the test runs inside a transaction.
        # With sequential and plain index scans off, a whole-index walk of another index (the
        # unique name, say) cannot stand in for a scan: only a bitmap scan with the bigram
        # condition as its index condition is left, and only the GIN index can give one.
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET enable_indexscan = off")
        try:
            sql, params = (
                Unit.objects.filter(search_bigrams__bigram="教授").values("pk").query.sql_with_params()
            )
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
        finally:
            cur.execute("RESET enable_seqscan")
            cur.execute("RESET enable_indexscan")
    assert "accounts_unit_bigram_gin" in plan, plan
    assert "@@ to_tsquery" in sql
