"""Fault: two people save the same record. Every versioned record that people edit refuses the second,
stale save (a form error naming what changed, or 409 with the reason), keeps the first, and audits one change.

Each case is driven the way a person does it: both load the edit page (or GET the API record), the form is
posted back with every field the page rendered, only the edited field differs.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


class _FormScraper(HTMLParser):
    """The fields a browser would post from the form that carries `version`."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
        if self._form is None:
            return
        name = a.get("name")
        is_submit = (tag == "button" and a.get("type", "submit") == "submit") or (
            tag == "input" and a.get("type") == "submit"
        )
        if is_submit:
            # The first submit button is the one clicked: a browser posts its name.
            if "__clicked__" not in self._form:
                self._form["__clicked__"] = [name or ""]
                if name:
                    self._form[name] = [a.get("value", "")]
            return
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self._form.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = [""]

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._form is not None and self._textarea:
                value = self._form[self._textarea][-1]
                self._form[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _form_of(client, url) -> dict:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    scraper = _FormScraper()
    scraper.feed(r.content.decode())
    forms = [f for f in scraper.forms if "version" in f]
    assert forms, f"{url}: the edit form carries no version"
    return {k: v if len(v) != 1 else v[0] for k, v in forms[0].items() if k != "__clicked__"}


# --- the records -------------------------------------------------------------------------------------------
# Each builder returns (object, first user, second user, edit page URL, form field, attribute, api or None);
# api = (detail URL for GET, method, URL to write, payload builder(version, value)).


def _application(make_user, staff):
    from kechuang.challenges.tests.factories import ApplicationFactory

    app = ApplicationFactory()
    other = make_user(Role.APPLICANT, unit=app.unit)
    return (
        app,
        app.leader,
        other,
        reverse("challenges:application-edit", args=[app.pk]),
        "title",
        "title",
        None,
    )


def _challenge(make_user, staff):
    from kechuang.challenges.tests.factories import ChallengeFactory

    ch = ChallengeFactory()
    return (
        ch,
        staff,
        make_user(Role.STAFF),
        reverse("challenges:challenge-edit", args=[ch.pk]),
        "title",
        "title",
        None,
    )


def _contract(make_user, staff):
    from kechuang.challenges.tests.factories import ContractFactory

    c = ContractFactory()
    url = reverse("challenges:contract-edit", args=[c.pk])
    return c, c.commissioner, c.commissioner, url, "title", "title", None


def _platform(make_user, staff):
    from kechuang.platforms.tests.factories import PlatformFactory

    p = PlatformFactory()
    api = (
        f"/api/platforms/{p.pk}/",
        "patch",
        f"/api/platforms/{p.pk}/",
        lambda v, x: {"version": v, "name": x},
    )
    return p, staff, make_user(Role.STAFF), reverse("platforms:edit", args=[p.pk]), "name", "name", api


def _report(make_user, staff):
    from kechuang.platforms import services
    from kechuang.platforms.tests.factories import YearlyReportFactory

    report = YearlyReportFactory()
    ops = [make_user(Role.OPERATOR), make_user(Role.OPERATOR)]
    for op in ops:
        services.operator_assign(actor=staff, platform=report.platform, user=op)
    url = f"/api/platforms/reports/{report.pk}/"
    api = (url, "patch", url, lambda v, x: {"version": v, "papers": x})
    return report, ops[0], ops[1], reverse("platforms:report-edit", args=[report.pk]), "papers", "papers", api


def _profile(make_user, staff):
    from kechuang.review.tests.factories import ExpertProfileFactory

    profile = ExpertProfileFactory()
    me = "/api/review/experts/me/"
    api = (me, "patch", me, lambda v, x: {"version": v, "city": x})
    return profile, profile.user, profile.user, reverse("review:my-profile"), "city", "city", api


def _review(make_user, staff):
    from kechuang.review import services
    from kechuang.review.models import Assignment
    from kechuang.review.tests.factories import (
        ExpertProfileFactory,
        ExternalSubjectFactory,
        ReviewFormFactory,
    )

    for _ in range(2):
        ExpertProfileFactory()
    rnd = services.round_create(
        actor=staff, title="并发轮次", subjects=[ExternalSubjectFactory()], form=ReviewFormFactory(), k=1
    )
    rnd = services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    a = Assignment.objects.filter(round=rnd, status="active").select_related("review", "expert").first()
    review = a.review
    services.review_open(actor=a.expert, review=review)
    review.refresh_from_db()
    url = f"/api/review/reviews/{review.pk}/"
    api = (url, "patch", url, lambda v, x: {"version": v, "comments": x})
    return review, a.expert, a.expert, review.get_absolute_url(), "comments", "comments", api


def _indicator(make_user, staff):
    from kechuang.indicators.tests.factories import IndicatorFactory

    ind = IndicatorFactory()
    url = f"/api/indicators/indicators/{ind.code}/"
    api = (url, "patch", url, lambda v, x: {"version": v, "name_zh": x})
    return (
        ind,
        staff,
        make_user(Role.STAFF),
        reverse("indicators:indicator-edit", args=[ind.code]),
        "name_zh",
        "name_zh",
        api,
    )


def _target(make_user, staff):
    from kechuang.indicators.tests.factories import TargetFactory

    t = TargetFactory()
    return (
        t,
        staff,
        make_user(Role.STAFF),
        reverse("indicators:target-edit", args=[t.pk]),
        "note",
        "note",
        None,
    )


def _chain(make_user, staff):
    from kechuang.techmap.tests.factories import ChainFactory

    ch = ChainFactory()
    url = f"/api/techmap/chains/{ch.pk}/"
    api = (url, "patch", url, lambda v, x: {"version": v, "description": x})
    edit = reverse("techmap:chain-edit", args=[ch.pk])
    return ch, staff, make_user(Role.STAFF), edit, "description", "description", api


def _technology(make_user, staff):
    from kechuang.techmap.tests.factories import TechnologyFactory

    t = TechnologyFactory()
    url = f"/api/techmap/technologies/{t.pk}/"
    api = (url, "patch", url, lambda v, x: {"version": v, "description": x})
    edit = reverse("techmap:technology-edit", args=[t.pk])
    return t, staff, make_user(Role.STAFF), edit, "description", "description", api


def _fact(make_user, staff):
    from kechuang.ingest.tests.factories import FactFactory

    f = FactFactory()
    api = (
        f"/api/ingest/facts/?document={f.document_id}",
        "post",
        f"/api/ingest/facts/{f.pk}/edit/",
        lambda v, x: {"version": v, "subject": x},
    )
    return f, staff, make_user(Role.STAFF), f.get_absolute_url(), "subject", "subject", api


CASES = {
    "application": _application,
    "challenge": _challenge,
    "contract": _contract,
    "platform": _platform,
    "yearly report": _report,
    "expert profile": _profile,
    "review": _review,
    "indicator": _indicator,
    "target": _target,
    "chain": _chain,
    "technology": _technology,
    "fact": _fact,
}


def _values(attr):
    """What the first and the second person type (numbers for a number field)."""
    if attr == "city":  # an expert's city is picked from the divisions (no free text since walker7)
        return ("大同市", "晋中市")
    return (7321, 9456) if attr == "papers" else ("甲方的修改", "乙方的修改")


def _events(obj) -> list[int]:
    return list(AuditEvent.objects.for_object(obj).values_list("pk", flat=True))


@pytest.mark.parametrize("case", CASES)
def test_web_form_second_stale_save_is_refused_and_the_first_kept(case, client_for, make_user, staff):
    obj, first, second, url, field, attr, _ = CASES[case](make_user, staff)
    a, b = client_for(first), client_for(second)
    form_a, form_b = _form_of(a, url), _form_of(b, url)
    assert form_a["version"] == form_b["version"] == str(obj.version)
    value_a, value_b = _values(attr)
    before = _events(obj)

    r = a.post(url, {**form_a, field: value_a})
    assert r.status_code == 302, (case, r.content.decode()[:3000])
    obj.refresh_from_db()
    assert getattr(obj, attr) == value_a and obj.version == int(form_a["version"]) + 1
    after_first = _events(obj)
    assert len(after_first) > len(before)

    r = b.post(url, {**form_b, field: value_b})
    page = r.content.decode()
    # refused and re-shown with the input (the review form answers 400, with both versions side by side)
    assert r.status_code in (200, 400) and "已被他人修改" in page, case
    assert f"“{value_a}”" in page, f"{case}: the refusal does not show what the other person saved"
    obj.refresh_from_db()
    assert getattr(obj, attr) == value_a
    assert _events(obj) == after_first, f"{case}: the refused save left an audit event"

    # An edit that names no version is refused too: it could overwrite a save it never saw.
    r = b.post(url, {k: v for k, v in {**form_b, field: value_b}.items() if k != "version"})
    assert r.status_code in (200, 400)
    obj.refresh_from_db()
    assert getattr(obj, attr) == value_a


API_CASES = [
    name for name, build in CASES.items() if name not in ("application", "challenge", "contract", "target")
]


@pytest.mark.parametrize("case", API_CASES)
def test_api_second_stale_save_answers_409_and_the_first_kept(case, api_for, make_user, staff):
    obj, first, second, _, _, attr, api = CASES[case](make_user, staff)
    read_url, method, write_url, payload = api
    a, b = api_for(first), api_for(second)
    seen = a.get(read_url).json()
    seen = seen["results"][0] if "results" in seen else seen
    version = seen["version"]
    assert version == obj.version
    value_a, value_b = _values(attr)
    before = _events(obj)

    r = getattr(a, method)(write_url, payload(version, value_a), format="json")
    assert r.status_code == 200, (case, r.json())
    obj.refresh_from_db()
    assert getattr(obj, attr) == value_a
    after_first = _events(obj)
    assert len(after_first) > len(before)

    r = getattr(b, method)(write_url, payload(version, value_b), format="json")
    assert r.status_code == 409, (case, r.content)
    error = r.json()["error"]
    assert error["code"] == "stale" and "已被他人修改" in error["message"]
    assert str(value_a) in error["message"] and attr in error["fields"], error
    obj.refresh_from_db()
    assert getattr(obj, attr) == value_a and _events(obj) == after_first

    body = payload(version, value_b)
    del body["version"]
    r = getattr(b, method)(write_url, body, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"].get("version"), (case, r.content)
    obj.refresh_from_db()
    assert getattr(obj, attr) == value_a


def test_no_challenges_api_edits_applications_contracts_or_challenges(api_for, staff):
    """The API changes these only through transitions (row locked, state checked), never by field edits."""
    from kechuang.challenges.tests.factories import ContractFactory

    c = ContractFactory()
    api = api_for(staff)
    for url in (
        f"/api/challenges/{c.challenge_id}/",
        f"/api/challenges/applications/{c.application_id}/",
        f"/api/challenges/contracts/{c.pk}/",
    ):
        assert api.get(url).status_code == 200, url
        for method in ("patch", "put"):
            assert getattr(api, method)(url, {"title": "x"}, format="json").status_code == 405, (url, method)


def test_expert_profiles_are_read_only_in_the_admin(client_for, make_user):
    from kechuang.review.tests.factories import ExpertProfileFactory

    profile = ExpertProfileFactory()
    admin = make_user(None, is_staff=True, is_superuser=True)
    r = client_for(admin).post(
        f"/admin/review/expertprofile/{profile.pk}/change/", {"city": "覆盖", "yearly_cap": 1}
    )
    assert r.status_code in (302, 403)
    profile.refresh_from_db()
    assert profile.city != "覆盖" and profile.version == 1
