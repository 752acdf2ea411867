"""A job's title is the system's words kept as msgid and parameters (core.messages): each reader sees it in
their language, whatever the language of the person who started the job; a title typed as text stays as is."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from kechuang.core import jobs_testing  # noqa: F401  (registers core.selftest)
from kechuang.core.jobs import job_submit
from kechuang.core.messages import Message
from kechuang.core.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_title_started_on_an_english_page_is_kept_in_chinese_and_read_in_each_language(staff):
    with translation.override("en"):
        job = job_submit(
            kind="core.selftest",
            params={"steps": 1},
            actor=staff,
            title=Message(gettext_noop("查重：%(t)s"), t="钠离子电池正极材料"),
        )
    job = Job.objects.get(pk=job.pk)
    assert job.title == "查重：钠离子电池正极材料"
    assert job.title_text == "查重：钠离子电池正极材料"
    with translation.override("en"):
        assert job.title_text == "Duplicate check: 钠离子电池正极材料"
        assert str(job).startswith("Duplicate check: 钠离子电池正极材料")


def test_the_handlers_title_is_read_in_the_readers_language(staff, client_for, api_for, english):
    with translation.override("en"):
        job = job_submit(kind="core.selftest", params={"steps": 1}, actor=staff)
    assert Job.objects.get(pk=job.pk).title == "自检任务"
    client = client_for(staff)
    assert "<h1>自检任务</h1>" in client.get(job.get_absolute_url()).content.decode()
    english(client)
    assert "<h1>Self-test job</h1>" in client.get(job.get_absolute_url()).content.decode()
    assert "Self-test job" in client.get("/jobs/").content.decode()
    api = api_for(staff)
    assert api.get(f"/api/jobs/{job.pk}/").json()["title"] == "自检任务"
    english(api)
    assert api.get(f"/api/jobs/{job.pk}/").json()["title"] == "Self-test job"


def test_a_typed_title_and_an_old_job_show_their_stored_text(staff):
    job = job_submit(kind="core.selftest", params={"steps": 1}, actor=staff, title="我的导入")
    old = Job.objects.create(kind="core.selftest", title="导入 3 份报告", params={"steps": 1})
    with translation.override("en"):
        assert Job.objects.get(pk=job.pk).title_text == "我的导入"
        assert old.title_text == "导入 3 份报告"
