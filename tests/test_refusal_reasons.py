"""A refused page says why (issue: the 403 page never showed a refusal's reason, and some raise sites passed
codes like "role" or "unknown action"). Every `raise PermissionDenied(...)` in the code carries a translated
sentence (or nothing: the page then says its generic sentence); the 403 page and the API's 403 body show it, in
Chinese and in English."""

import ast
import pathlib
import re

import pytest
from django.conf import settings
from django.utils import translation

from kechuang.core.exceptions import CODE_LIKE, refusal_reason
from kechuang.core.roles import Role

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "kechuang"
GETTEXT = {"_", "gettext", "gettext_lazy", "_l", "pgettext", "ngettext"}


def _raise_sites():
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("PermissionDenied", "Refused", "DjangoPermissionDenied"):
                yield f"{path.relative_to(SRC)}:{node.lineno}", node.exc


def test_every_refusal_carries_a_translated_sentence_or_nothing():
    bad = []
    sites = list(_raise_sites())
    assert len(sites) > 50  # the walk found the raise sites
    for where, call in sites:
        if not call.args:
            continue
        arg = call.args[0]
        if isinstance(arg, ast.Constant):
            bad.append(f"{where}: a literal {arg.value!r} (a code, or a sentence that is never translated)")
        elif isinstance(arg, ast.Call) and getattr(arg.func, "id", "") in GETTEXT:
            text = arg.args[0].value if arg.args and isinstance(arg.args[0], ast.Constant) else ""
            if not re.search(r"[\u4e00-\u9fff]", text):
                bad.append(f"{where}: {text!r} is not a sentence in Chinese")
    assert not bad, "\n".join(bad)


def test_a_code_is_never_shown():
    from django.core.exceptions import PermissionDenied

    for code in ["role", "unknown action", "not editable", "no pre-application stage", ""]:
        assert CODE_LIKE.fullmatch(code) and refusal_reason(PermissionDenied(code)) == ""
    assert refusal_reason(PermissionDenied()) == ""
    assert (
        refusal_reason(PermissionDenied("只有单位用户可以提交技术需求。")) == "只有单位用户可以提交技术需求。"
    )


CASES = {
    # (who, url): the sentence in Chinese / English
    "staff page": ("expert", "/notifications/emails/", "此页面只对科技厅工作人员开放", "only for"),
    "need form": ("expert", "/challenges/needs/new/", "只有单位用户可以提交技术需求", "Only unit users"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_403_page_says_why(case, lang, make_user, client):
    who, url, zh, en = CASES[case]
    client.force_login(make_user(getattr(Role, who.upper())))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert (zh if lang == "zh-hans" else en) in body
    assert "您的账号没有访问此页面的权限" not in body  # the reason, not the generic sentence
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", body.split("<main", 1)[1].split("</main>")[0])


def test_a_bare_refusal_keeps_the_generic_sentence(rf):
    from django.core.exceptions import PermissionDenied

    from kechuang.web.views import permission_denied

    request = rf.get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("zh-hans"):
        body = permission_denied(request, PermissionDenied("role")).content.decode()
    assert "您的账号没有访问此页面的权限" in body and ">role<" not in body


# A refused step answered on its page (400, the reason beside the field, what was typed and chosen kept), and a
# step on something already decided (a second click, a stale tab) answered by a page saying by whom and when
# (409), never a message after a redirect that loses the text.


def _publicity_with_objection(make_user):
    import datetime

    from django.utils import timezone

    from kechuang.challenges.models import Application, Objection, Publicity
    from kechuang.challenges.tests.factories import ApplicationFactory

    app = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=app.pk).update(status="proposed")
    today = timezone.localdate()
    pub = Publicity.objects.create(
        challenge=app.challenge,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=5),
    )
    return Objection.objects.create(publicity=pub, application=app, text="质疑试验速度指标")


@pytest.mark.django_db
def test_an_objection_is_upheld_only_with_the_box_ticked(client_for, make_user):
    from django.urls import reverse

    objection = _publicity_with_objection(make_user)
    staff = client_for(make_user(Role.STAFF))
    url = reverse("challenges:objection-answer", args=[objection.pk])
    r = staff.post(url, {"answer": "材料与事实不符", "upheld": "1", "confirm": "1"})
    assert r.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.answer == "材料与事实不符"


@pytest.mark.django_db
def test_a_refused_objection_answer_comes_back_on_the_publicity_page(client_for, make_user):
    from django.urls import reverse

    objection = _publicity_with_objection(make_user)
    staff = client_for(make_user(Role.STAFF))
    url = reverse("challenges:objection-answer", args=[objection.pk])
    r = staff.post(url, {"answer": "   ", "upheld": "1"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写答复意见" in body and 'aria-invalid="true"' in body
    assert 'name="upheld" value="1" checked' in body  # the choice kept
    # upholding declines the proposed award for good: not without the box ticked (text and choice kept)
    r = staff.post(url, {"answer": "材料与事实不符", "upheld": "1"})
    assert r.status_code == 400
    body = r.content.decode()
    assert (
        "请勾选确认" in body
        and 'value="材料与事实不符"' in body
        and 'name="upheld" value="1" checked' in body
    )
    objection.refresh_from_db()
    assert objection.status == "open"
    r = staff.post(url, {"answer": "指标经专家论证", "upheld": "0"})
    assert r.status_code == 302
    # the same answer again (a second click, another tab): already answered, by whom and when, text kept
    second = make_user(Role.STAFF)
    r = client_for(second).post(url, {"answer": "另一份答复", "upheld": "1"})
    assert r.status_code == 409
    body = r.content.decode()
    main = body.split("<main", 1)[1]
    assert "此事项已由" in main and "另一份答复" in main and "异议不成立" in main, main
    objection.refresh_from_db()
    assert objection.answer == "指标经专家论证"
