"""A call's optional English name (Call.title_en): given when the call is opened, on the call's page by staff at
any stage (audited); English pages show it and fall back to the Chinese title (usable9)."""

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.core.models import AuditEvent
from kechuang.programmes import definitions, services, transfer
from kechuang.programmes.models import Call

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(staff):
    return transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))


def test_the_title_follows_the_language_and_the_page_takes_it(client_for, staff, version, applicant, english):
    call = services.call_open(actor=staff, version=version, title="2027 年度重点研发", year=2027)
    assert str(call) == "2027 年度重点研发"
    client = client_for(staff)
    page = client.get(call.get_absolute_url()).content.decode()
    assert reverse("programmes:call-name-en", args=[call.pk]) in page and 'name="title_en"' in page
    r = client.post(reverse("programmes:call-name-en", args=[call.pk]), {"title_en": "Key R&D 2027"})
    assert r.status_code == 302
    call.refresh_from_db()
    assert call.title_en == "Key R&D 2027"
    assert AuditEvent.objects.get(action="programmes.call_translate").after == {"title_en": "Key R&D 2027"}
    with translation.override("en"):
        assert str(call) == "Key R&D 2027"
    english(client)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "<h1>Key R&amp;D 2027</h1>" in page and "2027 年度重点研发" in page
    listed = client.get(version.programme.get_absolute_url()).content.decode()
    assert ">Key R&amp;D 2027</a>" in listed
    typed = "x" * 301  # refused: the page again with what was typed (400), nothing saved
    r = client.post(reverse("programmes:call-name-en", args=[call.pk]), {"title_en": typed})
    assert r.status_code == 400 and f'value="{typed}"' in r.content.decode()
    assert Call.objects.get(pk=call.pk).title_en == "Key R&D 2027"
    r = client_for(applicant).post(reverse("programmes:call-name-en", args=[call.pk]), {"title_en": "x"})
    assert r.status_code == 403 and Call.objects.get(pk=call.pk).title_en == "Key R&D 2027"


def test_the_open_form_takes_it(client_for, staff, version):
    r = client_for(staff).post(
        version.get_absolute_url(), {"title": "2028 年度", "title_en": "2028 call", "year": "2028"}
    )
    assert r.status_code == 302 and Call.objects.get(title="2028 年度").title_en == "2028 call"


def test_a_forms_page_names_each_submission_by_its_title_not_its_number(
    client_for, staff, version, applicant
):
    from kechuang.programmes.models import FormVersion, Submission

    fv = next(
        v
        for v in FormVersion.objects.filter(status="published")
        if any(f.get("kind") == "short_text" for f in v.fields)
    )
    key = next(f["key"] for f in fv.fields if f.get("kind") == "short_text")
    sub = Submission.objects.create(
        version=fv, stage_key="", submitted_by=applicant, data={key: "磁悬浮牵引系统"}
    )
    page = client_for(staff).get(fv.definition.get_absolute_url()).content.decode()
    assert f'<a href="{sub.get_absolute_url()}">磁悬浮牵引系统</a>' in page and f">#{sub.pk}</a>" not in page
