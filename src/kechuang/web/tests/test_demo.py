import re

import pytest
from django.core.management import call_command

from kechuang.accounts.models import Unit, User
from kechuang.core import dbtemplate
from kechuang.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _counts():
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"accounts", "platforms", "challenges", "review", "evaluation", "techmap", "indicators", "ingest"}
    }


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """The demo's first load into a migrated database, and what `kechuang demo` printed: the run's demo template
    (built by that command, its output kept: dbtemplate.demo_load), else loaded here; taken away after the
    module. A second load of the whole demo, the costly part (~10 s of CPU), is then the test's only one."""
    with django_db_blocker.unblock():
        yield dbtemplate.demo_load()
        dbtemplate.demo_unload()


def _load_once_and_again(first, capsys):
    assert "管理员登录：admin@example.org / " in first
    # how to change it on the site, not by a command naming a login name (docs/security.md §19)
    assert "changepassword" not in first and "修改密码" in first and "忘记密码" in first
    # the printed logins sign in: the admin's address with the printed password, the demo users' addresses
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from kechuang.web.management.commands.demo import DEMO_PASSWORD

    request = RequestFactory().post("/accounts/login/")

    admin_password = re.search(r"管理员登录：admin@example\.org / (\S+)", first).group(1)
    assert authenticate(request, username="admin@example.org", password=admin_password).is_superuser
    printed = set(re.findall(r"\w+@example\.org", first.split("演示用户", 1)[1]))
    assert {"staff@example.org", "applicant@example.org", "expert8@example.org"} <= printed
    for address in printed:
        assert authenticate(request, username=address, password=DEMO_PASSWORD) is not None, address
    # the loaders' progress lines follow --language (the site's by default), while the rows stay Chinese
    assert "指标：演示地区、指标、目标、指标体系和指数计算已载入" in first and "Indicators:" not in first
    # the programmes step loads its 2027 call and says what it holds (it loaded nothing, said nothing: the review
    # step had imported the types and opened that call before it)
    from kechuang.programmes.models import Call

    assert Call.objects.filter(title="2027 年度省重点研发计划", stage_key="s5").exists()
    said = re.search(r"计划：(\d+) 类（(.*?)），(\d+) 个申报批次；2027 年度省重点研发计划在“函评”环节", first)
    assert said and "省重点研发计划" in said[2] and int(said[3]) == Call.objects.count() >= 2, first
    counts = _counts()
    assert counts["accounts.Unit"] >= 10 and User.objects.filter(is_superuser=True).count() == 1
    audit_count = AuditEvent.objects.count()
    # the demo's project performance evaluation (#16.2): published, every accepted project graded
    from kechuang.evaluation import demo as evaluation_demo
    from kechuang.evaluation.models import Campaign, Result

    perf = Campaign.objects.get(name=evaluation_demo.PROJECT_NAME)
    assert (perf.subject, perf.stage, perf.status) == ("project", "acceptance", "published")
    assert Result.objects.filter(computation__campaign=perf).count() == perf.entries.count() >= 1

    call_command("demo", no_migrate=True, language="en")
    second = capsys.readouterr().out
    assert "Admin login" not in second and "Admin “admin@example.org” exists already" in second
    assert "Demo: accounts loaded (" in second
    assert "Indicators: demo regions, indicators, targets, frameworks and index runs loaded" in second
    assert "指标：" not in second and "评审：" not in second
    assert "Provincial Key R&D Programme" in second and "at the “Letter review” stage" in second
    assert _counts() == counts
    assert Unit.objects.filter(name="山西大学").count() == 1
    # A second run writes no new records and so audits nothing new except nothing at all.
    assert AuditEvent.objects.count() == audit_count


def _sign_in_as_each_role(client):
    from kechuang.accounts.demo import DEMO_PASSWORD

    for username in ("staff", "commissioner", "expert1", "applicant", "operator"):
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/dashboard/").status_code == 200
        client.logout()


def test_demo_loads_once_is_idempotent_and_its_users_sign_in_with_their_roles(first_load, capsys, client):
    """One demo for both checks: loaded once (first_load), a second run changes nothing; then each demo user
    signs in and sees the dashboard."""
    _load_once_and_again(first_load, capsys)
    _sign_in_as_each_role(client)
