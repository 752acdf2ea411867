"""`kechuang evaluation compute|verify`."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from kechuang.evaluation import services
from kechuang.evaluation.models import Computation
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def test_compute_then_verify(staff):
    c = services.campaign_create(actor=staff, name="c", year=2022)
    services.node_add(
        actor=staff,
        campaign=c,
        code="staff",
        name="人员",
        weight=1,
        rule="linear",
        source="staff",
        params={"min": 0, "max": 80},
    )
    p = PlatformFactory()
    YearlyReportFactory(platform=p, staff=40, accepted=True)
    services.entries_set(actor=staff, campaign=c, platforms=[p])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    out = io.StringIO()
    call_command(
        "evaluation", "compute", str(c.pk), f"--user={staff.username}", stdout=out, stderr=io.StringIO()
    )
    comp = Computation.objects.get(campaign=c)
    assert comp.outputs["results"][0]["total"] == 50.0
    out = io.StringIO()
    call_command("evaluation", "verify", str(c.pk), "--language", "en", stdout=out)
    assert "reproduced" in out.getvalue()
    out = io.StringIO()
    call_command("evaluation", "verify", str(c.pk), stdout=out)
    line = out.getvalue().strip().replace(comp.method, "")  # the method's code is data, not a word
    assert line.endswith("：重算结果一致") and not re.search("[a-zA-Z]", line)
    Computation.objects.filter(pk=comp.pk).update(
        inputs={**comp.inputs, "grade_params": {"excellent": 40, "good": 30, "pass": 20}}
    )
    with pytest.raises(CommandError, match="do not reproduce"):
        call_command("evaluation", "verify", str(c.pk), language="en", stdout=io.StringIO())
    with pytest.raises(CommandError, match="1 次计算无法重现"):
        call_command("evaluation", "verify", str(c.pk), stdout=io.StringIO())
    said = {}
    for language in ("zh-hans", "en"):
        with pytest.raises(CommandError) as refused:
            call_command("evaluation", "verify", "999", language=language, stdout=io.StringIO())
        said[language] = str(refused.value)
    assert said == {"zh-hans": "没有编号为 999 的评价活动。", "en": "No evaluation campaign 999."}
    assert not re.search("[a-zA-Z]", said["zh-hans"]) and not re.search("[\u4e00-\u9fff]", said["en"])
