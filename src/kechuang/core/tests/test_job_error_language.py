"""Why a job failed is kept as msgid and parameters (Job.error_message) when it is the system's words: each
reader sees it in their language on the job page, /api/jobs/ and the command line, whatever the language of
the page that started the job; an old job, or text already made, shows its stored text."""

import datetime

import pytest
from django.utils import timezone, translation

from kechuang.core.jobs import job_reap_lost, job_run, job_submit
from kechuang.core.models import Job
from kechuang.indicators.tests.factories import FrameworkFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failure_started_on_an_english_page_is_read_in_each_readers_language(
    staff, client_for, api_for, english
):
    framework = FrameworkFactory()  # no values: the index cannot be computed
    with translation.override("en"):
        job = job_submit(kind="indicators.index_run", params={"framework_id": framework.pk}, actor=staff)
        job = job_run(job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.state == "failed"
    assert job.error == "没有该框架指标的数据，无法计算。"  # the stored text in the site's language
    assert job.error_text == "没有该框架指标的数据，无法计算。"
    with translation.override("en"):
        assert job.error_text == "No data for this framework's indicators; nothing to compute."
    client = client_for(staff)
    assert "没有该框架指标的数据" in client.get(job.get_absolute_url()).content.decode()
    english(client)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "No data for this framework&#x27;s indicators" in page and "没有该框架指标的数据" not in page
    api = api_for(staff)
    english(api)
    assert api.get(f"/api/jobs/{job.pk}/").json()["error"].startswith("No data for this framework")


def test_a_lost_workers_reason_is_read_in_the_readers_language(staff):
    job = Job.objects.create(
        kind="core.selftest",
        state=Job.State.RUNNING,
        worker="elsewhere:1",
        heartbeat_at=timezone.now() - datetime.timedelta(hours=2),
    )
    with translation.override("en"):
        (lost,) = job_reap_lost()
    assert lost.pk == job.pk
    lost.refresh_from_db()
    assert "没有心跳" in lost.error and "没有心跳" in lost.error_text
    with translation.override("en"):
        assert "has shown no heartbeat" in lost.error_text


def test_an_old_failure_and_text_already_made_show_their_stored_text():
    old = Job.objects.create(kind="core.selftest", state=Job.State.FAILED, error="导入失败：第 3 行")
    with translation.override("en"):
        assert old.error_text == "导入失败：第 3 行"


def test_an_engine_error_with_a_list_is_kept_as_msgid_and_read_in_each_language():
    from django.utils.translation import gettext_lazy

    from kechuang.core.messages import BraceMessage, encode, render

    stored = encode(BraceMessage(gettext_lazy("未知的抽样选项：{options}"), options=("甲", "乙")))
    assert stored == {"m": "未知的抽样选项：{options}", "f": "{}", "p": {"options": {"list": ["甲", "乙"]}}}
    with translation.override("zh-hans"):
        assert render(stored) == "未知的抽样选项：甲、乙"
    with translation.override("en"):
        assert render(stored) == "Unknown sampling options: 甲, 乙"
