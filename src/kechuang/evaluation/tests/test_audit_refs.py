"""An audit trail names what one action's payload keys refer to (core.display's per-action refs), and reads the
rows a name follows (a form version's form) with them, not one query per row."""

import pytest
from django.utils import translation

from kechuang.core import display
from kechuang.core.audit import audit_record
from kechuang.core.display import audit_lines
from kechuang.core.models import AuditEvent
from kechuang.evaluation.tests.factories import CampaignFactory
from kechuang.programmes.models import FormDefinition, FormPurpose, FormVersion
from kechuang.review.tests.factories import ReviewFormFactory

pytestmark = pytest.mark.django_db


def _text(events) -> str:
    return " ".join(f"{c.label}：{c.old}→{c.new}" for line in audit_lines(events) for c in line.changes)


def test_a_review_start_names_its_review_form_in_the_readers_language(staff):
    campaign = CampaignFactory()
    form = ReviewFormFactory(name="平台专家评分表", name_en="Platform expert scoring form")
    # k is never the form's id: a page reading "→3" for k = 3 is not the form's id shown (it was, when the id was 3)
    k = form.pk + 1
    audit_record(actor=staff, action="campaign.review_start", obj=campaign, after={"form": form.pk, "k": k})
    events = AuditEvent.objects.filter(action="campaign.review_start")
    assert "评分表：—→平台专家评分表" in _text(events)
    with translation.override("en"):
        text = _text(events)
        shown = [str(c.new) for line in audit_lines(events) for c in line.changes]
    assert "Platform expert scoring form" in text and str(form.pk) not in shown and str(k) in shown


def test_another_actions_form_key_is_not_taken_for_a_review_form(staff, monkeypatch):
    campaign = CampaignFactory()
    form = ReviewFormFactory(name="平台专家评分表")
    audit_record(actor=staff, action="campaign.other", obj=campaign, after={"form": form.pk})
    assert "平台专家评分表" not in _text(AuditEvent.objects.filter(action="campaign.other"))
    # … and the action's own entry wins over a global one
    monkeypatch.setitem(display.REFS, "form", "accounts.Unit")
    audit_record(actor=staff, action="campaign.review_start", obj=campaign, after={"form": form.pk})
    assert "平台专家评分表" in _text(AuditEvent.objects.filter(action="campaign.review_start"))


def _versions(n: int) -> list[int]:
    ids = []
    for i in range(n):
        definition = FormDefinition.objects.create(name=f"表单{i}", purpose=FormPurpose.values[0])
        ids.append(FormVersion.objects.create(definition=definition, number=1).pk)
    return ids


def test_form_versions_are_named_with_their_forms_in_one_query(staff, monkeypatch, django_assert_num_queries):
    monkeypatch.setitem(display.ACTION_REFS, ("campaign.versions", "versions"), "programmes.FormVersion")
    campaign = CampaignFactory()
    audit_record(actor=staff, action="campaign.versions", obj=campaign, after={"versions": _versions(1)})
    audit_record(actor=staff, action="campaign.versions", obj=campaign, after={"versions": _versions(4)})
    events = list(
        AuditEvent.objects.filter(action="campaign.versions").select_related("actor", "content_type")
    )
    # the versions, their forms joined; and the campaign, read to name it in the reader's language (usable12)
    with django_assert_num_queries(2):
        text = _text(events)
    assert all(f"表单{i} 第1版" in text for i in range(4))
