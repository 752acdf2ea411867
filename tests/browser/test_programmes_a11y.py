"""Accessibility of the programmes builder (issue #18 with #13.10): axe-core finds no critical or serious
violation on every programmes page of the demo province, as staff (the builder, a call) and as a unit user
(a call, its form, a submission). The sampled crawl (test_accessibility.py) may not reach them all."""

import pytest

from kechuang.core import dbtemplate

from .test_accessibility import FAILING, RUN_AXE, _context

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        dbtemplate.demo_load()
        yield
        dbtemplate.demo_unload()


def _paths():
    from kechuang.accounts.models import User
    from kechuang.programmes import services
    from kechuang.programmes.fieldkinds import build_form
    from kechuang.programmes.models import Call, FormVersion, ProgrammeVersion

    staff = User.objects.get(username="staff")
    version = ProgrammeVersion.objects.get(programme__name="省重点研发计划")
    form = FormVersion.objects.get(pk=version.stages[1]["form"])
    call = services.call_open(actor=staff, version=version, title="a11y", year=2027)
    call = services.call_advance(actor=staff, call=call)
    applicant = User.objects.get(username="applicant")
    sub = services.submission_create(
        actor=applicant,
        version=form,
        form=build_form(form.fields, data={"f1": "高熵合金", "f2": "企业", "f3": "300", "f4": "摘要"}),
        call=call,
    )
    draft = services.programme_version_new(actor=staff, programme=version.programme)
    draft_form = services.form_version_new(actor=staff, definition=form.definition)
    demo_call = Call.objects.exclude(pk=call.pk).first()
    staff_paths = [
        "/programmes/",
        "/programmes/forms/new/",
        f"/programmes/forms/{form.definition_id}/",
        f"/programmes/forms/versions/{form.pk}/",
        f"/programmes/forms/versions/{form.pk}/preview/",
        f"/programmes/forms/versions/{draft_form.pk}/",
        f"/programmes/forms/versions/{draft_form.pk}/fields/new/",
        f"/programmes/forms/versions/{draft_form.pk}/fields/f3/",
        f"/programmes/forms/versions/{draft_form.pk}/diff/",
        "/programmes/types/new/",
        f"/programmes/types/{version.programme_id}/",
        f"/programmes/types/versions/{version.pk}/",
        f"/programmes/types/versions/{draft.pk}/",
        f"/programmes/types/versions/{draft.pk}/stages/new/",
        f"/programmes/types/versions/{draft.pk}/stages/s2/",
        f"/programmes/types/versions/{draft.pk}/diff/",
        f"/programmes/calls/{demo_call.pk}/",
        f"/programmes/submissions/{sub.pk}/",
    ]
    applicant_paths = [
        f"/programmes/calls/{call.pk}/",
        f"/programmes/calls/{call.pk}/fill/",
        f"/programmes/submissions/{sub.pk}/",
    ]
    return {"staff": staff_paths, "applicant": applicant_paths}


def test_the_programmes_pages_have_no_critical_or_serious_violation(browser, live_server, demo_db):
    bad = []
    visited = 0
    for username, paths in _paths().items():
        context = _context(browser, live_server, username)
        page = context.new_page()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            visited += 1
            bad += [
                f"{username} {path} [{v['impact']}] {v['id']}: {v['help']} {v['nodes'][:2]}"
                for v in page.evaluate(RUN_AXE)
                if v["impact"] in FAILING
            ]
        context.close()
    assert visited == 21
    assert not bad, "\n".join(bad)
