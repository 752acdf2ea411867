"""Character-bigram search: Chinese queries of any length, two characters included, answered from an index.

Trigram indexes (core.trigram) cannot serve a two-character query such as 教授 or 量子: a trigram needs three
characters. Here each searchable row keeps a `BigramField` holding, for every searched text of the row, each
character and each pair of adjacent characters, written as fixed-width ASCII words (5 letters per character)
so that every database parses them alike:

    教授  →  " <教> <授> <教授> "        (each <…> a run of a-z letters)

A query of one character asks for that character's word; a longer query asks for all of its bigrams (AND).
Every substring of a searched text has all its bigrams in the row, so the bigram match finds every row that
`icontains` finds; callers add the `icontains` test on the same fields so the answer is exactly the
`icontains` answer (a row can hold 量子 and 子计 without 量子计).

- PostgreSQL: `to_tsvector('simple', col) @@ to_tsquery('simple', 'w1 & w2')`, served by a GIN index on
  the same expression (`gin_index` below, created by the apps' migrations).
- SQLite: the same words tested with `col LIKE '% w %'` (the column is framed by spaces); a scan, which is
  what SQLite development databases need, and the same rows.

The column is kept by the model's `save()` (every service writes through it) via `BigramIndexed`, and
rebuilt for existing rows by `kechuang search_rebuild` and the migrations that add it.
"""

import unicodedata

from django.db import migrations, models
from django.db.models import Case, IntegerField, Lookup, Q, Value, When
from django.db.models.functions import Length

_WIDTH = 5  # 26**5 > 0x10FFFF: every code point fits
_A = ord("a")


def _char_word(ch: str) -> str:
    n = ord(ch)
    out = []
    for _ in range(_WIDTH):
        n, r = divmod(n, 26)
        out.append(chr(_A + r))
    return "".join(reversed(out))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).lower()


def text_words(text: str) -> list[str]:
    """The index words of one searched text: each character and each adjacent pair."""
    t = normalize(text)
    codes = [_char_word(c) for c in t]
    words = dict.fromkeys(codes)
    for a, b in zip(codes, codes[1:], strict=False):
        words.setdefault(a + b, None)
    return list(words)


def document(*texts) -> str:
    """The stored column for a row: the words of every text (lists count as one text per item), deduplicated,
    framed by spaces."""
    words: dict[str, None] = {}
    for text in texts:
        items = text if isinstance(text, list | tuple) else [text]
        for item in items:
            if item in (None, ""):
                continue
            for w in text_words(str(item)):
                words.setdefault(w, None)
    return " " + " ".join(words) + " " if words else ""


def query_words(query: str) -> list[str]:
    """The words a query asks for (all of them): its single character, or each of its bigrams."""
    codes = [_char_word(c) for c in normalize(query)]
    if len(codes) <= 1:
        return codes
    return list(dict.fromkeys(a + b for a, b in zip(codes, codes[1:], strict=False)))


class BigramField(models.TextField):
    """The bigram words of a row's searched texts (see module doc). Filter with `field__bigram=query`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


@BigramField.register_lookup
class BigramMatch(Lookup):
    lookup_name = "bigram"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        words = query_words(self.rhs)
        if not words:
            return "1 = 1", []
        if connection.vendor == "postgresql":
            return (
                f"to_tsvector('simple'::regconfig, {lhs}) @@ to_tsquery('simple'::regconfig, %s)",
                [*lhs_params, " & ".join(words)],
            )
        sql = " AND ".join(f"{lhs} LIKE %s" for _ in words)
        params: list = []
        for w in words:
            params.extend([*lhs_params, f"% {w} %"])
        return f"({sql})", params


def matches(field: str, query: str, *texts: str) -> Q:
    """Rows whose bigram column `field` holds the query, and one of the text fields `texts` contains it
    (`icontains`): exactly the rows `icontains` finds, found through the index."""
    found = Q()
    for t in texts:
        found |= Q(**{f"{t}__icontains": query})
    return Q(**{f"{field}__bigram": query}) & found


def rank(field: str, query: str) -> Case:
    """0 when `field` equals the query, 1 when it starts with it, 2 when it contains it, 3 otherwise: order
    by this, then by the field's length, to put exact and closest matches first."""
    return Case(
        When(**{f"{field}__iexact": query}, then=Value(0)),
        When(**{f"{field}__istartswith": query}, then=Value(1)),
        When(**{f"{field}__icontains": query}, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def ranked(qs, field: str, query: str, *then: str):
    """`qs` ordered by `rank(field, query)`, the field's length, then `then`."""
    return qs.annotate(_bigram_rank=rank(field, query), _bigram_len=Length(field)).order_by(
        "_bigram_rank", "_bigram_len", *then
    )


class BigramIndexed(models.Model):
    """Keeps `search_bigrams` on save from the texts `bigram_texts()` returns; `BIGRAM_SOURCES` names the
    fields it reads, so a save limited to other fields leaves it alone."""

    BIGRAM_SOURCES: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None:
            self.refresh_bigrams()
        elif set(fields) & set(self.BIGRAM_SOURCES):
            self.refresh_bigrams()
            kwargs["update_fields"] = {*fields, "search_bigrams"}
        super().save(*args, **kwargs)

    def bigram_texts(self) -> list:
        return [getattr(self, f) for f in self.BIGRAM_SOURCES]

    def refresh_bigrams(self) -> None:
        self.search_bigrams = document(*self.bigram_texts())


def gin_index(name: str, table: str, column: str = "search_bigrams") -> migrations.RunPython:
    """A GIN index on to_tsvector('simple', column), PostgreSQL only (nothing on SQLite)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f"USING gin (to_tsvector('simple'::regconfig, \"{column}\"))"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards, elidable=False)


def fill(app_label: str, model_name: str, texts) -> migrations.RunPython:
    """A data migration filling the column of existing rows; `texts(row)` lists the row's searched texts."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        batch = []
        for row in model._base_manager.iterator(chunk_size=2000):
            row.search_bigrams = document(*texts(row))
            batch.append(row)
            if len(batch) >= 2000:
                model._base_manager.bulk_update(batch, ["search_bigrams"])
                batch = []
        if batch:
            model._base_manager.bulk_update(batch, ["search_bigrams"])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
