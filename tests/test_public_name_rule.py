"""The public-name rule (docs/security.md §16) itself, and the 409 page naming the decider by it.

Kept apart from tests/test_public_names.py: that module loads the demo province once for its crawl and keeps it
until the module ends, and a test beside it would make its own units among the demo's (on PostgreSQL a factory's
credit code met a demo unit's: unit_credit_code_unique)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_rule(make_user):
    from kechuang.accounts.models import Unit, public_name
    from kechuang.core.roles import Role

    unit = Unit.objects.create(name="晋中示范研究院", kind="institute")
    nameless = make_user(
        Role.EXPERT, full_name="", first_name="", last_name="", unit=unit, username="secret_x"
    )
    assert str(nameless) == nameless.public_name == "晋中示范研究院 · 评审专家"
    assert nameless.named("负责人") == "晋中示范研究院 · 负责人"
    assert make_user(None, full_name="", username="secret_y", unit=None).public_name == "未署名"
    assert make_user(Role.STAFF, full_name="王敏").public_name == "王敏"
    assert public_name("", " ", "某单位", "") == "某单位"


def test_the_already_decided_page_names_the_decider_by_the_rule(make_user):
    """core.decided's 409 page said who decided by the trail's `actor_repr`, the login name."""
    from kechuang.accounts.models import Unit
    from kechuang.core.audit import audit_record
    from kechuang.core.decided import decided_text
    from kechuang.core.roles import Role

    unit = Unit.objects.create(name="晋中示范研究院", kind="institute")
    named = make_user(Role.STAFF, username="secret_login_a", full_name="王敏")
    audit_record(actor=named, action="unit.verify", obj=unit)
    text = decided_text(unit)
    assert "王敏" in text and "secret_login_a" not in text
    nameless = make_user(Role.STAFF, username="secret_login_b", full_name="", unit=unit)
    audit_record(actor=nameless, action="unit.verify", obj=unit)
    text = decided_text(unit)
    assert "晋中示范研究院 · 科技厅工作人员" in text and "secret_login_b" not in text
