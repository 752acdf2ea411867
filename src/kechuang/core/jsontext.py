"""JSON stored as readable text, so text searches find non-ASCII words on every database.

Django writes a JSONField with `json.dumps`, which escapes every non-ASCII character (`碳化硅` becomes
`\\u78b3\\u5316\\u7845`). PostgreSQL's jsonb normalises that away, but SQLite keeps the escaped text, so
`keywords__icontains="碳化硅"` matched nothing on the embedded default. Fields searched by `icontains` use
this encoder (`ensure_ascii=False`); `rewrite_json_columns` is the data migration for existing rows.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder


class UnicodeJSONEncoder(DjangoJSONEncoder):
    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def rewrite_json_columns(table: str, columns: list[str]):
    """A RunPython function: re-encode the columns' stored text without escapes (SQLite only; jsonb is
    already stored decoded, so on PostgreSQL this does nothing)."""

    def forwards(apps, schema_editor):
        conn = schema_editor.connection
        if conn.vendor == "postgresql":
            return
        qn = conn.ops.quote_name
        with conn.cursor() as cur:
            for column in columns:
                cur.execute(f"SELECT id, {qn(column)} FROM {qn(table)} WHERE {qn(column)} LIKE '%\\u%'")
                rows = [
                    (json.dumps(json.loads(value), ensure_ascii=False), pk)
                    for pk, value in cur.fetchall()
                    if value is not None
                ]
                cur.executemany(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s", rows)

    return forwards
