"""The duplicate check's job is the department's, not the applicant's (docs/security.md §52).

Submitting an application queued the duplicate check (`challenges.dedup_index`) as a job started by the
applicant, so it was listed among their own jobs (`/jobs/`, `GET /api/jobs/`) and its page showed its result:
how many other applications the check found like theirs, by text or by the people of the team. The check's
pairs are for staff at the formal check; its count told an applicant whether any other unit's application held
a text or a person they named (submit, read the count). Now the job is the system's (`dedup`): the applicant's
submission is audited as before, the job and its result are staff's to read."""

import pytest
from django.test import Client

from kechuang.challenges import services
from kechuang.challenges.tests.factories import ApplicationFactory
from kechuang.core.jobs import job_run
from kechuang.core.models import AuditEvent, Job

pytestmark = pytest.mark.django_db

PLAN = (
    "采用物理气相传输法生长8英寸碳化硅单晶，优化热场与温度梯度设计。"
    "建立微管与位错缺陷的在线检测方法，形成衬底加工与抛光工艺包。"
    "建成年产五万片的中试线，良率达到百分之七十以上。"
)
COPY = PLAN.replace("优化", "改进").replace("五万", "六万")


@pytest.fixture
def submitted(django_capture_on_commit_callbacks, staff):
    ApplicationFactory(plan=PLAN, title="碳化硅衬底产业化", submitted=True)
    services.dedup_rebuild(actor=staff)
    app = ApplicationFactory(plan=COPY, title="碳化硅衬底")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=app.leader, application=app)
    job = Job.objects.get(kind="challenges.dedup_index")
    job_run(job.pk)
    job.refresh_from_db()
    assert job.result == {"pairs": 1}
    return app, job


def test_the_applicant_does_not_read_the_duplicate_checks_job(submitted):
    app, job = submitted
    assert job.started_by is None
    client = Client()
    client.force_login(app.leader)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}/").status_code == 404
    listed = client.get("/api/jobs/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert str(job.pk) not in {str(r.get("id")) for r in rows}
    assert "查重" not in client.get("/jobs/").content.decode()


def test_staff_still_read_it_and_the_submission_is_audited_as_the_applicants(submitted, staff):
    app, job = submitted
    client = Client()
    client.force_login(staff)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="application.submit", actor=app.leader).exists()
    assert AuditEvent.objects.filter(action="job.submit", object_id=str(job.pk), actor=None).exists()


def test_a_check_queued_before_the_fix_as_the_applicants_is_hidden_too(make_user):
    """Jobs queued as the applicant's before this change keep their starter: the kind is staff's (`job_handler(
    staff_only=True)`), so `jobs_visible_to` leaves them out for anyone but staff; the applicant's other jobs stay
    theirs."""
    from kechuang.core.jobs import staff_only_kinds
    from kechuang.core.roles import Role

    applicant = make_user(Role.APPLICANT)
    old = Job.objects.create(
        kind="challenges.dedup_index",
        title="查重",
        started_by=applicant,
        result={"pairs": 3},
        state="succeeded",
    )
    own = Job.objects.create(kind="core.selftest", title="自检", started_by=applicant)
    assert "challenges.dedup_index" in staff_only_kinds()
    client = Client()
    client.force_login(applicant)
    assert client.get(f"/jobs/{old.pk}/").status_code == 404
    assert client.get(f"/api/jobs/{old.pk}/").status_code == 404
    assert client.get(f"/jobs/{own.pk}/").status_code == 200
