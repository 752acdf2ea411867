"""An audit entry shows only what changed, each thing once (people37): a milestone's report names no warning
it never had ("预警：正常 / 预警时间：—"), and a formal check's comment — the event's reason and the row's
formal_note — is written once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from kechuang.challenges import services
from kechuang.core.display import audit_lines
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from .factories import ApplicationFactory, ContractFactory


def _events(obj):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("pk")


@pytest.mark.django_db
def test_a_report_names_no_warning_it_never_had():
    contract = ContractFactory(running=True)
    ms = contract.milestones.get(seq=1)
    assert ms.flag == ""
    services.milestone_report(actor=contract.leader, milestone=ms, report="完成", values={"晶圆直径": 6})
    event = _events(ms).filter(action="milestone.report").get()
    assert "flag" not in event.after and "flagged_at" not in event.after
    assert event.after["status"] == "reported" and event.after["report"] == "完成"
    assert event.before.get("report") == "" and "reported_at" in event.before  # the old value beside the new
    with translation.override("en"):
        (line,) = audit_lines([event])
    words = " ".join(f"{c.label} {c.old} {c.new}" for c in line.changes)
    assert "Warn" not in words and "On track" not in words


@pytest.mark.django_db
def test_a_formal_checks_comment_is_written_once(make_user):
    app = ApplicationFactory(submitted=True)
    services.formal_check(actor=make_user(Role.STAFF), application=app, passed=False, reasons="缺少盖章页")
    event = _events(app).filter(action__endswith=".return").get()
    (line,) = audit_lines([event])
    assert line.reason == "缺少盖章页"
    assert not [c for c in line.changes if "缺少盖章页" in (c.new, c.old)]
