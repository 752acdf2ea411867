"""The cloned test databases (kechuang.core.dbtemplate): a test process clones only a template made from the
migrations it has; otherwise it migrates as before."""

import json

from django.db import connections

from kechuang.core import dbtemplate


def test_a_test_process_clones_only_a_template_of_its_own_migrations(tmp_path, monkeypatch, db):
    creation = connections["default"].creation
    before = vars(creation).get("create_test_db")
    try:
        monkeypatch.delenv(dbtemplate.ENV, raising=False)
        assert not dbtemplate.install()
        monkeypatch.setenv(dbtemplate.ENV, str(tmp_path))
        assert not dbtemplate.install()  # no template built there
        meta = {
            "vendor": connections["default"].vendor,
            "engine": connections["default"].settings_dict["ENGINE"],
            "name": "x",
            "migrations": "0" * 64,
        }
        (tmp_path / dbtemplate.META).write_text(json.dumps(meta))
        assert not dbtemplate.install()  # built from other migrations
        (tmp_path / dbtemplate.META).write_text(json.dumps({**meta, "engine": "django.db.backends.other"}))
        assert not dbtemplate.install()
        (tmp_path / dbtemplate.META).write_text(
            json.dumps({**meta, "migrations": dbtemplate.migrations_digest()})
        )
        vars(creation).pop("create_test_db", None)
        assert dbtemplate.install()
        assert vars(creation)["create_test_db"] is not None
    finally:
        vars(creation).pop("create_test_db", None)
        if before is not None:
            creation.create_test_db = before


def test_the_digest_changes_with_any_migration_file(monkeypatch):
    from pathlib import Path

    digest = dbtemplate.migrations_digest()
    assert digest == dbtemplate.migrations_digest()
    read = Path.read_bytes

    def edited(path):
        text = read(path)
        return (
            text + b"# edited"
            if path.name == "0001_initial.py" and path.parent.parent.name == "review"
            else text
        )

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert dbtemplate.migrations_digest() != digest
