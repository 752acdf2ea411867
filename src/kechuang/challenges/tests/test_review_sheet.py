"""The experts' scoring sheet of a challenge list is the review form of its pinned 揭榜挂帅 version (#18).

End to end on the web: staff add a 是否推荐 choice to a new version of 揭榜挂帅专家评审表 in the builder and pin
it by a new 揭榜挂帅 version; an expert on a list drafted after that sees it and must answer it, while an
expert on an older list scores the old sheet, which keeps showing with its own version; the API and the
export carry the values by key; the weighted total still comes from the list's criteria."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from kechuang.challenges import programme
from kechuang.challenges import services as ch_services
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory, TopicFactory
from kechuang.core.formkinds import rows_post
from kechuang.programmes.forms import StageForm
from kechuang.programmes.models import FormVersion, ProgrammeVersion
from kechuang.review import services as rv
from kechuang.review.models import Review
from kechuang.review.tests.factories import ExpertProfileFactory


def _field_post(**kw):
    data = {"label": "", "kind": "", "help": "", "show_if": ""}
    data.update(rows_post("options", kw.pop("options", [])))
    data.update(rows_post("columns", kw.pop("columns", [])))
    data.update(kw)
    return data


def _stage_post(stage: dict, **changes) -> dict:
    initial = {**StageForm.initial_of(stage), **changes}
    data = {
        "kind": initial["kind"],
        "name": initial["name"],
        "days": str(initial["days"] or 0),
        "role": initial["role"],
        "form": str(initial["form"] or ""),
        "unit_kinds": initial["unit_kinds"],
        "eligibility": initial["eligibility"],
        "max_concurrent": initial["max_concurrent"] or "",
        "requires_publicity": "on" if initial["requires_publicity"] else "",
    }
    data.update(rows_post("attachments", initial["attachments"]))
    return data


def _add_recommend_field_on_the_web(client) -> tuple[ProgrammeVersion, FormVersion, str]:
    """Staff, in the builder: a new version of the review form with a required 是否推荐 (是/否), published,
    then a new 揭榜挂帅 version whose 专家评审 stage uses it, published. Returns (v2, form v2, the new key)."""
    v1 = programme.seed()
    review_form = programme.review_form(v1)
    r = client.post(reverse("programmes:form-version-action", args=[review_form.pk]), {"action": "new"})
    draft = FormVersion.objects.get(definition=review_form.definition, number=review_form.number + 1)
    assert r.status_code == 302 and r["Location"] == draft.get_absolute_url()
    r = client.post(
        reverse("programmes:field-add", args=[draft.pk]),
        _field_post(label="是否推荐", kind="choice", required="on", options=[{"text": "是"}, {"text": "否"}]),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.post(
        reverse("programmes:form-version-action", args=[draft.pk]), {"action": "publish", "confirm": "1"}
    )
    draft.refresh_from_db()
    assert draft.is_published
    key = draft.fields[-1]["key"]
    assert draft.fields[-1]["label"] == "是否推荐" and key not in {f["key"] for f in review_form.fields}

    client.post(reverse("programmes:version-action", args=[v1.pk]), {"action": "new"})
    pdraft = ProgrammeVersion.objects.get(programme=v1.programme, number=v1.number + 1)
    stage = next(s for s in pdraft.stages if s["kind"] == "panel_review")
    r = client.post(
        reverse("programmes:stage-edit", args=[pdraft.pk, stage["key"]]), _stage_post(stage, form=draft.pk)
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.post(
        reverse("programmes:version-action", args=[pdraft.pk]),
        {"action": "publish", "confirm": "1", "note": "评审表增加是否推荐"},
    )
    pdraft.refresh_from_db()
    assert pdraft.status == "published" and programme.current_version() == pdraft
    return pdraft, draft, key


def _review_of(staff, challenge, expert) -> Review:
    """A closed list's passed application under review, the expert assigned, the round started."""
    challenge.status = "closed"
    challenge.save(update_fields=["status"])
    app = ApplicationFactory(challenge=challenge, status="formal_passed")
    rnd = ch_services.review_round_start(actor=staff, challenge=challenge, k=1)
    rv.assignment_create_manual(actor=staff, round=rnd, subject=app, expert=expert, reason="领域")
    rv.round_transition(actor=staff, round=rnd, action="assign")
    rv.round_transition(actor=staff, round=rnd, action="start")
    return Review.objects.get(assignment__round=rnd, assignment__expert=expert)


def test_a_staff_added_review_field_is_asked_on_lists_drafted_after_it(client_for, staff):
    v1 = programme.seed()
    old_list = ChallengeFactory(published=True, programme_version=v1)
    s = client_for(staff)
    v2, form2, key = _add_recommend_field_on_the_web(s)
    # a list drafted after the new version pins it (challenge_create pins the newest published version)
    new_list = ch_services.challenge_create(
        actor=staff,
        code="JB-2027-901",
        year=2027,
        topic=TopicFactory(),
        title="钙钛矿叠层电池中试",
        problem="建成钙钛矿叠层电池中试线。",
        budget_ceiling=Decimal("500"),
        deadline=datetime.datetime(2027, 6, 30, 17, tzinfo=datetime.UTC),
        criteria=[
            {**c, "weight": str(c["weight"])}
            for c in programme.criteria_defaults(programme.current_version())
        ],
    )
    assert new_list.programme_version == v2

    expert = ExpertProfileFactory().user
    old = _review_of(staff, old_list, expert)
    new = _review_of(staff, new_list, expert)
    assert new.assignment.round.sheet == form2 and old.assignment.round.sheet == programme.review_form(v1)
    # the criteria take the form's maxima: 技术先进性 40, 团队能力 30, 实施方案 30 分
    assert {c.code: c.max_score for c in new.assignment.round.form.criteria.all()} == {
        "tech": 40,
        "team": 30,
        "plan": 30,
    }
    e = client_for(expert)
    for review in (old, new):
        e.post(reverse("review:review-action", args=[review.pk, "open"]), {"confirm": "1"})
        review.refresh_from_db()
        assert review.status == "opened" and review.form_version == review.assignment.round.sheet

    # the new list's sheet asks 是否推荐; the old list's does not
    page = e.get(new.get_absolute_url()).content.decode()
    assert "是否推荐" in page and f'name="{key}"' in page and "技术先进性" in page
    assert "是否推荐" not in e.get(old.get_absolute_url()).content.decode()

    typed = {
        "tech": "36",
        "team": "27",
        "plan": "24",
        "f4": "推荐",
        "comments": "方案扎实。",
        "opinion": "建议支持。",
        "version": new.version,
    }
    # a draft without it is kept; submitting without it is refused, naming it, with everything typed kept
    r = e.post(new.get_absolute_url(), typed)
    assert r.status_code == 302
    new.refresh_from_db()
    assert new.sheet_values == {"tech": "36", "team": "27", "plan": "24", "f4": "推荐"}
    assert new.recommendation == "support"
    r = e.post(new.get_absolute_url(), {**typed, "version": new.version, "submit": "1", "confirm": "1"})
    assert r.status_code == 400 and "是否推荐" in r.content.decode() and "方案扎实。" in r.content.decode()
    new.refresh_from_db()
    assert new.status == "opened"
    # a value the field does not offer is refused
    r = e.post(new.get_absolute_url(), {**typed, "version": new.version, key: "也许"})
    assert r.status_code == 400
    r = e.post(
        new.get_absolute_url(), {**typed, "version": new.version, key: "是", "submit": "1", "confirm": "1"}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    new.refresh_from_db()
    assert new.status == "submitted" and new.sheet_values[key] == "是"
    # the total comes from the criteria: 0.4*36/40 + 0.3*27/30 + 0.3*24/30 = 0.87 of 100
    assert new.total == Decimal("87.0000")

    # the old list's expert scores the old sheet (不推荐 asks its reason) and submits without 是否推荐
    r = e.post(
        old.get_absolute_url(),
        {
            "tech": "20",
            "team": "15",
            "plan": "15",
            "f4": "不推荐",
            "comments": "创新不足。",
            "opinion": "",
            "version": old.version,
            "submit": "1",
            "confirm": "1",
        },
    )
    assert r.status_code == 400 and "不推荐的理由" in r.content.decode()
    old.refresh_from_db()
    r = e.post(
        old.get_absolute_url(),
        {
            "tech": "20",
            "team": "15",
            "plan": "15",
            "f4": "不推荐",
            "f5": "与现有产品同质化。",
            "comments": "创新不足。",
            "version": old.version,
            "submit": "1",
            "confirm": "1",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    old.refresh_from_db()
    assert old.status == "submitted" and old.recommendation == "reject" and key not in old.sheet_values

    # a later version of the form never changes how an old review shows: its own version's labels
    shown = s.get(new.get_absolute_url()).content.decode()
    assert "是否推荐" in shown and str(form2) in shown
    shown_old = s.get(old.get_absolute_url()).content.decode()
    assert "与现有产品同质化。" in shown_old and "是否推荐" not in shown_old

    # the API carries the values by key, with the version
    data = e.get(reverse("api:review-review-detail", args=[new.pk])).json()
    assert (
        data["values"][key] == "是" and data["form_version"] == form2.pk and data["scores"]["tech"] == "36.00"
    )

    # the export: one row per review, a column per key, headed by its label (with “[key]” only where another
    # column has the same name: the form's 推荐意见 field beside the review's own 推荐意见)
    r = s.get(reverse("review:round-panel", args=[new.assignment.round.pk]) + "?format=reviews")
    wb = openpyxl.load_workbook(
        io.BytesIO(r.content if hasattr(r, "content") else b"".join(r.streaming_content))
    )
    rows = list(wb.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert "是否推荐" in header and f"是否推荐 [{key}]" not in header and "推荐意见 [f4]" in header
    assert rows[1][header.index("是否推荐")] == "是"


def test_the_api_saves_the_sheet_by_key_and_refuses_what_the_form_does_not_allow(client_for, staff):
    v1 = programme.seed()
    expert = ExpertProfileFactory().user
    review = _review_of(staff, ChallengeFactory(published=True, programme_version=v1), expert)
    rv.review_open(actor=expert, review=review)
    review.refresh_from_db()
    e = client_for(expert)
    url = reverse("api:review-review-detail", args=[review.pk])
    r = e.patch(url, {"version": review.version, "values": {"tech": "41"}}, content_type="application/json")
    assert r.status_code == 400 and "tech" in str(r.json())
    r = e.patch(url, {"version": review.version, "values": {"nope": "1"}}, content_type="application/json")
    assert r.status_code == 400
    r = e.patch(
        url,
        {"version": review.version, "values": {"tech": "30", "f4": "推荐"}, "comments": "可行"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["values"] == {"tech": "30", "f4": "推荐"} and r.json()["recommendation"] == "support"
    # the recommendation given as such fills the sheet's recommendation field
    review.refresh_from_db()
    rv.review_save(
        actor=expert, review=review, expected_version=review.version, recommendation="reject", comments="改"
    )
    review.refresh_from_db()
    assert review.sheet_values["f4"] == "不推荐" and review.recommendation == "reject"
