"""The web forms' free text (a reason, a note, comments, a description) is bounded as the API's is
(docs/security.md §36, people18; the API's were bounded by people17).

Each went into a row, and a reason or note into the append-only audit trail, bounded only by Django's 2.5 MB
form body. Now every typed text field of a form carries a `max_length` (`core.limits.REASON_MAX` 2,000 for a
reason or note, `TEXT_MAX` 20,000 for a report, comments or a description; a model's own length where it has
one), so its input carries `maxlength` and a longer post is refused with the field's own words, the page
again with what was typed, nothing written and nothing audited. A view reading a reason from `request.POST`
itself reads it through `core.limits.posted_text`."""

import pytest
from django import forms

from kechuang.core.limits import REASON_MAX, TEXT_MAX, bounded_text
from kechuang.core.models import AuditEvent

from .product import product_subclasses

LONG = "理" * (REASON_MAX + 1)

# Typed text a form does not bound, and why: none is stored.
NOT_STORED = {
    # bounded when the form is made (AuthenticationForm sets the user model's 150)
    ("kechuang.accounts.forms", "SignInForm", "username"),
    ("kechuang.accounts.forms", "AdminSignInForm", "username"),
    # a list's search and filter (GET; never stored)
    ("kechuang.platforms.forms", "FilterForm", "q"),
    ("kechuang.platforms.forms", "FilterForm", "industry"),
}


def test_no_form_has_a_typed_text_field_without_a_bound():
    """A new form (or field) whose typed text has no `max_length` fails here: give it REASON_MAX or TEXT_MAX
    from core.limits (a ModelForm: `Meta.formfield_callback = bounded_text()`), or its model's length."""
    unbounded = []
    for cls in product_subclasses(forms.BaseForm):
        for name, field in getattr(cls, "base_fields", {}).items():
            if not isinstance(field, forms.CharField) or field.max_length is not None:
                continue
            if field.widget.is_hidden or isinstance(field.widget, forms.PasswordInput):
                continue
            if (cls.__module__, cls.__name__, name) not in NOT_STORED:
                unbounded.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not unbounded, unbounded


def test_a_bounded_field_puts_maxlength_on_its_input():
    from kechuang.platforms.forms import TransitionForm
    from kechuang.review.forms import ScoreForm

    assert f'maxlength="{REASON_MAX}"' in str(TransitionForm()["reason"])
    assert f'maxlength="{TEXT_MAX}"' in str(ScoreForm()["comments"])


def test_bounded_text_bounds_a_models_text_fields_and_leaves_the_rest():
    from kechuang.challenges.models import Transfer

    callback = bounded_text(note=REASON_MAX)
    assert callback(Transfer._meta.get_field("note")).max_length == REASON_MAX
    assert bounded_text()(Transfer._meta.get_field("note")).max_length == TEXT_MAX


def test_the_review_sheets_comments_and_opinion_are_bounded():
    from kechuang.review.sheet import SheetForm

    form = SheetForm(specs=[])
    assert form.fields["comments"].max_length == TEXT_MAX and form.fields["opinion"].max_length == TEXT_MAX


@pytest.mark.django_db
def test_posted_text_names_the_field_in_the_forms_words():
    from django.test import RequestFactory
    from django.utils import translation

    from kechuang.core.exceptions import ApplicationError
    from kechuang.core.limits import posted_text

    request = RequestFactory().post("/", {"reason": LONG, "note": " 留空格 "})
    assert posted_text(request, "note", label="说明") == " 留空格 "
    assert posted_text(request, "absent", label="说明") == ""
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as exc:
        posted_text(request, label="理由")
    assert str(exc.value.message).startswith("理由：") and "2000" in str(exc.value.message)
    assert set(exc.value.fields) == {"reason"}


# The pages: an over-long value refused beside its field, what was typed kept, nothing written or audited;
# at the bound, taken.


def _audited(prefix: str) -> int:
    return AuditEvent.objects.filter(action__startswith=prefix).count()


@pytest.mark.django_db
def test_a_platform_step_with_a_long_reason_says_so_not_a_bad_date(client_for, staff):
    from kechuang.platforms.tests.factories import PlatformFactory

    p = PlatformFactory(status="operating")
    url = f"/platforms/{p.pk}/transition/"
    c = client_for(staff)
    before = _audited("platform.")
    r = c.post(url, {"action": "retire", "on": "2024-01-01", "reason": LONG})
    body = r.content.decode()
    assert r.status_code == 400
    assert "2000" in body and "生效日期" not in body.split('role="alert"')[1].split("</div>")[0]
    assert LONG in body and 'value="2024-01-01"' in body and f'maxlength="{REASON_MAX}"' in body
    p.refresh_from_db()
    assert p.status == "operating" and _audited("platform.") == before
    r = c.post(url, {"action": "retire", "on": "2024-01-01", "reason": "理" * REASON_MAX})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == "retired"


@pytest.mark.django_db
def test_a_members_exit_with_a_long_reason_names_the_reason(client_for, staff):
    from kechuang.platforms.tests.factories import MembershipFactory

    m = MembershipFactory()
    url = f"/platforms/{m.platform_id}/members/{m.pk}/end/"
    r = client_for(staff).post(url, {"left": "2024-01-31", "reason": LONG, "confirm": "1"})
    body = r.content.decode()
    assert r.status_code == 400 and "理由" in body and "2000" in body and LONG in body
    m.refresh_from_db()
    assert m.left is None


def _refused_page(r, *kept):
    body = r.content.decode()
    assert r.status_code == 400, r.status_code
    assert "2000" in body, "the bound said"
    assert all(k in body for k in kept), "what was typed kept"
    return body


@pytest.mark.django_db
def test_a_yearly_reports_return_reason(client_for, staff):
    from kechuang.platforms.tests.factories import YearlyReportFactory

    report = YearlyReportFactory(status="submitted")
    url = f"/platforms/reports/{report.pk}/transition/"
    c = client_for(staff)
    body = _refused_page(c.post(url, {"action": "return", "reason": LONG}), LONG)
    assert "理由：" in body and f'maxlength="{REASON_MAX}"' in body
    report.refresh_from_db()
    assert report.status == "submitted" and not _audited("platform.report")
    assert c.post(url, {"action": "return", "reason": "理" * REASON_MAX, "confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "理" * REASON_MAX


@pytest.mark.django_db
def test_a_projects_termination_reason(client_for, staff):
    from django.urls import reverse

    from kechuang.challenges.models import Contract
    from kechuang.challenges.tests.factories import ContractFactory

    c = ContractFactory()
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    url = reverse("challenges:contract-action", args=[c.pk, "terminate"])
    s = client_for(staff)
    before = AuditEvent.objects.count()
    body = _refused_page(s.post(url, {"reason": LONG, "confirm": "1"}), LONG)
    assert 'id="refused-terminate"' in body and f'maxlength="{REASON_MAX}"' in body
    assert Contract.objects.get(pk=c.pk).status == "in_progress" and AuditEvent.objects.count() == before
    assert s.post(url, {"reason": "理" * REASON_MAX, "confirm": "1"}).status_code == 302
    assert Contract.objects.get(pk=c.pk).status == "terminated"


@pytest.mark.django_db
def test_a_change_requests_decision_note(client_for, staff):
    from django.urls import reverse

    from kechuang.challenges.models import ChangeRequest
    from kechuang.challenges.tests.factories import ContractFactory

    cr = ChangeRequest.objects.create(
        contract=ContractFactory(running=True), kind="budget", reason="涨价", payload={"budget": "700"}
    )
    url = reverse("challenges:change-decide", args=[cr.pk])
    _refused_page(client_for(staff).post(url, {"approve": "0", "note": LONG}), LONG)
    cr.refresh_from_db()
    assert cr.status == "pending"


@pytest.mark.django_db
def test_a_tranches_withholding_reason_and_an_adjustments_reason(client_for, staff):
    from django.urls import reverse

    from kechuang.challenges.tests.factories import ContractFactory
    from kechuang.funds import services
    from kechuang.funds.models import BudgetAdjustment, Payment

    c = ContractFactory(running=True)
    services.ledger_open(actor=staff, contract=c)
    p = Payment.objects.filter(contract=c).first()
    Payment.objects.filter(pk=p.pk).update(status="planned")
    s = client_for(staff)
    url = reverse("funds:payment-action", args=[p.pk, "withhold"])
    before = AuditEvent.objects.count()
    _refused_page(s.post(url, {"reason": LONG, "confirm": "1"}), LONG)
    p.refresh_from_db()
    assert p.status == "planned" and AuditEvent.objects.count() == before
    assert s.post(url, {"reason": "理" * REASON_MAX, "confirm": "1"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "withheld" and p.withheld_reason == "理" * REASON_MAX
    # a form's field: beside the field, the other input kept
    leader = client_for(c.leader)
    r = leader.post(
        reverse("funds:adjustment-create", args=[c.pk]),
        {"source": "business", "target": "equipment", "amount": "3", "reason": LONG},
    )
    body = _refused_page(r, LONG, 'value="3"')
    assert f'maxlength="{REASON_MAX}"' in body
    assert not BudgetAdjustment.objects.exists()


@pytest.mark.django_db
def test_an_integrity_records_appeal_reason(client_for, staff):
    from kechuang.integrity.tests.factories import RecordFactory

    record = RecordFactory()
    c = client_for(staff)  # (its sign-in is audited)
    before = AuditEvent.objects.count()
    r = c.post(f"/integrity/{record.pk}/do/appeal/", {"reason": LONG})
    body = _refused_page(r, LONG)
    assert f'maxlength="{REASON_MAX}"' in body
    record.refresh_from_db()
    assert record.status == "in_force" and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_units_return_reason(client_for, staff):
    from kechuang.accounts.models import Unit
    from kechuang.accounts.tests.factories import UnitFactory

    unit = UnitFactory(status=Unit.Status.PENDING)
    _refused_page(client_for(staff).post(f"/accounts/units/{unit.pk}/reject/", {"reason": LONG}), LONG)
    unit.refresh_from_db()
    assert unit.status == Unit.Status.PENDING


@pytest.mark.django_db
def test_a_reviews_comments_at_and_past_their_bound():
    from kechuang.review.forms import ScoreForm

    over = ScoreForm(data={"comments": "评" * (TEXT_MAX + 1), "version": 1})
    assert not over.is_valid() and "comments" in over.errors
    assert ScoreForm(data={"comments": "评" * TEXT_MAX, "version": 1}).is_valid()


@pytest.mark.django_db
def test_a_persons_deactivation_reason(client_for, staff, make_user):
    from kechuang.core.roles import Role

    person = make_user(Role.APPLICANT)
    c = client_for(staff)
    url = f"/accounts/users/{person.pk}/active/"
    body = _refused_page(c.post(url, {"active": "0", "reason": LONG, "confirm": "1"}), LONG)
    assert 'id="refused-active"' in body and f'maxlength="{REASON_MAX}"' in body
    person.refresh_from_db()
    assert person.is_active
    assert c.post(url, {"active": "0", "reason": "理" * REASON_MAX, "confirm": "1"}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active


# people23: the views the last pass left (docs/security.md §36): each over-long text is refused beside its field,
# what was typed kept, nothing written or audited; at the bound, taken.


@pytest.mark.django_db
def test_a_campaigns_reopen_reason(client_for, staff):
    from kechuang.evaluation.models import Campaign
    from kechuang.evaluation.tests.factories import CampaignFactory

    c = CampaignFactory(computed=True)
    s = client_for(staff)
    before = AuditEvent.objects.count()
    body = _refused_page(s.post(f"/evaluation/{c.pk}/action/", {"action": "reopen", "reason": LONG}), LONG)
    assert "理由：" in body and f'maxlength="{REASON_MAX}"' in body
    c.refresh_from_db()
    assert c.status == Campaign.Status.COMPUTED and AuditEvent.objects.count() == before
    assert (
        s.post(f"/evaluation/{c.pk}/action/", {"action": "reopen", "reason": "理" * REASON_MAX}).status_code
        == 302
    )
    c.refresh_from_db()
    assert c.status == Campaign.Status.COLLECTING


@pytest.mark.django_db
def test_a_programme_versions_publishing_note_is_held_at_its_column(client_for, staff):
    """The input said maxlength="300"; the server took any length (a database error on PostgreSQL)."""
    from kechuang.programmes import definitions, services, transfer
    from kechuang.programmes.models import ProgrammeVersion

    published = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    draft = services.programme_version_new(actor=staff, programme=published.programme)
    limit = ProgrammeVersion._meta.get_field("note").max_length
    url = f"/programmes/types/versions/{draft.pk}/action/"
    s = client_for(staff)
    before = AuditEvent.objects.count()
    over = "修" * (limit + 1)
    r = s.post(url, {"action": "publish", "confirm": "1", "note": over})
    body = r.content.decode()
    assert r.status_code == 400 and "修订说明：" in body and str(limit) in body
    assert f'value="{over}"' in body and f'maxlength="{limit}"' in body
    draft.refresh_from_db()
    assert not draft.is_published and AuditEvent.objects.count() == before
    assert s.post(url, {"action": "publish", "confirm": "1", "note": "修" * limit}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.note == "修" * limit


@pytest.mark.django_db
def test_a_registrations_withdrawal_reason_is_refused_not_cut(client_for, staff, endorser, register):
    """It was cut at 500 characters without a word."""
    from kechuang.accounts.models import User

    from .registering import VICTIM
    from .test_account_enumeration import _form

    register(_form(endorser, VICTIM, 1))
    person = User.objects.get(email=VICTIM)
    url = f"/accounts/users/registrations/{person.pk}/withdraw/"
    s = client_for(staff)
    before = AuditEvent.objects.count()
    body = _refused_page(s.post(url, {"reason": LONG, "confirm": "1"}), LONG)
    assert f'maxlength="{REASON_MAX}"' in body
    assert AuditEvent.objects.count() == before and User.objects.get(pk=person.pk).email == VICTIM
    assert s.post(url, {"reason": "理" * REASON_MAX, "confirm": "1"}).status_code == 302
    event = AuditEvent.objects.filter(action="user.registration_withdraw").get()
    assert event.reason == "理" * REASON_MAX


@pytest.mark.django_db
def test_an_ingest_facts_and_documents_step_reason(client_for, staff):
    from kechuang.ingest.models import STEP_REASON_MAX, Fact
    from kechuang.ingest.tests.factories import FactFactory

    fact = FactFactory(status=Fact.Status.REJECTED)
    over = "由" * (STEP_REASON_MAX + 1)
    s = client_for(staff)
    before = AuditEvent.objects.count()
    r = s.post(f"/ingest/facts/{fact.pk}/reopen/", {"reason": over})
    body = r.content.decode()
    assert r.status_code == 400 and "理由：" in body and str(STEP_REASON_MAX) in body
    assert f'value="{over}"' in body and f'maxlength="{STEP_REASON_MAX}"' in body
    fact.refresh_from_db()
    assert fact.status == Fact.Status.REJECTED and AuditEvent.objects.count() == before
    r = s.post(f"/ingest/documents/{fact.document_id}/finish/", {"reason": over})
    assert r.status_code == 400 and str(STEP_REASON_MAX) in r.content.decode()
    assert AuditEvent.objects.count() == before
    assert s.post(f"/ingest/facts/{fact.pk}/reopen/", {"reason": "由" * STEP_REASON_MAX}).status_code == 302
    fact.refresh_from_db()
    assert fact.status == Fact.Status.PROPOSED


@pytest.mark.django_db
def test_an_objections_answer(client_for, staff):
    import datetime

    from django.utils import timezone

    from kechuang.challenges.models import Objection, Publicity
    from kechuang.challenges.tests.factories import ApplicationFactory

    app = ApplicationFactory()
    today = timezone.localdate()
    pub = Publicity.objects.create(
        challenge=app.challenge, starts_on=today, ends_on=today + datetime.timedelta(days=7)
    )
    obj = Objection.objects.create(publicity=pub, application=app, text="异议")
    s = client_for(staff)  # (its sign-in is audited)
    before = AuditEvent.objects.count()
    r = s.post(f"/challenges/objections/{obj.pk}/answer/", {"answer": LONG, "upheld": "0"})
    body = _refused_page(r, LONG)
    assert "答复意见：" in body and f'maxlength="{REASON_MAX}"' in body
    obj.refresh_from_db()
    assert obj.status == Objection.Status.OPEN and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_an_expert_profiles_rejection_reason_is_held_at_its_review_note(client_for, staff):
    """It was kept as the profile's review note cut at 300 characters without a word."""
    from kechuang.review.models import REASON_LENGTH, ExpertProfile
    from kechuang.review.tests.factories import ExpertProfileFactory

    profile = ExpertProfileFactory(status=ExpertProfile.Status.SUBMITTED)
    url = f"/review/experts/{profile.pk}/reject/"
    s = client_for(staff)
    over = "驳" * (REASON_LENGTH + 1)
    before = AuditEvent.objects.count()
    r = s.post(url, {"reason": over})
    body = r.content.decode()
    assert r.status_code == 400 and over in body and str(REASON_LENGTH) in body
    assert f'maxlength="{REASON_LENGTH}"' in body
    profile.refresh_from_db()
    assert profile.status == ExpertProfile.Status.SUBMITTED and AuditEvent.objects.count() == before
    assert s.post(url, {"reason": "驳" * REASON_LENGTH}).status_code == 302
    profile.refresh_from_db()
    assert profile.status == ExpertProfile.Status.REJECTED and profile.review_note == "驳" * REASON_LENGTH
