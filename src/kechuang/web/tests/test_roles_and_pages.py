"""Each role sees its own menu and dashboard and is refused (403, never 500) elsewhere."""

import pytest

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

STAFF_ONLY_PAGES = ["/jobs/audit/", "/accounts/units/"]


@pytest.mark.parametrize("role", list(Role.values))
def test_dashboard_shows_the_roles_own_label(role, make_user, client_for):
    user = make_user(role)
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()
    assert str(Role(role).label) in body
    assert "待办事项" in body


def test_staff_menu_has_admin_entries_and_others_do_not(make_user, client_for):
    staff_body = client_for(make_user(Role.STAFF)).get("/dashboard/").content.decode()
    assert "/jobs/audit/" in staff_body
    for role in (Role.APPLICANT, Role.EXPERT, Role.OPERATOR):
        body = client_for(make_user(role)).get("/dashboard/").content.decode()
        assert "/jobs/audit/" not in body, role


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.OPERATOR])
def test_other_roles_get_403_on_staff_pages(role, make_user, client_for):
    client = client_for(make_user(role))
    response = client.get("/jobs/audit/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_commissioner_may_list_units_but_applicant_may_not(make_user, client_for):
    assert client_for(make_user(Role.COMMISSIONER)).get("/accounts/units/").status_code == 200
    assert client_for(make_user(Role.APPLICANT)).get("/accounts/units/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get("/jobs/audit/")
    assert response.status_code == 302


def test_user_without_role_sees_hint(make_user, client_for):
    body = client_for(make_user(None)).get("/dashboard/").content.decode()
    assert "尚未分配角色" in body


def test_friendly_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_is_friendly(client, settings):
    from django.urls import path

    from kechuang import urls as root_urls

    def boom(request):
        raise RuntimeError("boom")

    class Urls:
        urlpatterns = [path("boom/", boom), *root_urls.urlpatterns]
        handler500 = root_urls.handler500

    settings.ROOT_URLCONF = Urls
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_english_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "Regional innovation platform" in body


def test_csrf_is_enforced_on_forms(make_user):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(make_user(Role.STAFF))
    response = c.post("/accounts/logout/", HTTP_REFERER="http://testserver/review/my/")
    assert response.status_code == 403
    # An expired page, said as such (walked: "your account has no access to this page"), with the way back
    # to the page the form was on, and that typed texts come back.
    body = response.content.decode()
    assert "页面已过期" in body and "没有访问此页面的权限" not in body
    assert "文字会恢复" in body and 'href="http://testserver/review/my/"' in body
    elsewhere = c.post("/accounts/logout/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in elsewhere.content.decode()


def test_static_assets_are_served(client):
    for path in (
        "/static/vendor/htmx.min.js",
        "/static/vendor/echarts.min.js",
        "/static/kechuang/css/app.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path


def test_notifications_page_lists_and_marks_read(make_user, client_for):
    from kechuang.core.notifications import notifications_unread, notify

    user, other = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    notify(recipients=[user], title="请补充材料", body="形式审查退回", url="/dashboard/")
    client = client_for(user)
    body = client.get("/dashboard/").content.decode()
    assert 'class="badge warn">1<' in body
    assert "请补充材料" in client.get("/notifications/").content.decode()
    assert "请补充材料" not in client_for(other).get("/notifications/").content.decode()
    client.post("/notifications/")
    assert notifications_unread(user).count() == 0


def test_notify_sends_an_email_after_commit(make_user, mailoutbox, django_capture_on_commit_callbacks):
    from kechuang.core.notifications import notify

    user = make_user(Role.EXPERT)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user, user], title="新的评审任务", body="请在截止前完成")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]


def test_chinese_first_whatever_the_browser_says(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body and "区域科技创新平台" in body


def test_navigation_is_grouped_into_menus_per_area(make_user, client_for):
    from kechuang.core.ui import NAV_GROUPS, nav_menus_for

    staff = make_user(Role.STAFF)
    menus = nav_menus_for(staff)
    keys = [m["key"] for m in menus]
    assert keys[-1] == "system"
    system = next(m for m in menus if m["key"] == "system")
    assert {"/jobs/audit/", "/jobs/"} <= {i["url"] for i in system["items"]}
    assert keys == sorted(keys, key=[k for k, _label in NAV_GROUPS].index)
    body = client_for(staff).get("/dashboard/").content.decode()
    assert '<li class="navgroup"><details><summary>' in body


def test_the_menus_rendered_once_per_shape_follow_role_language_and_page(
    make_user, client_for, client, english
):
    """The top bar's menus come from a per-process cache of their HTML (#19): each role, language and
    current page still gets its own."""
    import re

    def nav(body):
        return re.search(r'<nav class="mainnav".*?</nav>', body, re.S).group(0)

    staff, applicant = make_user(Role.STAFF), make_user(Role.APPLICANT)
    on_dashboard = nav(client_for(staff).get("/dashboard/").content.decode())
    assert '<a href="/dashboard/" aria-current="page">' in on_dashboard and "/jobs/audit/" in on_dashboard
    on_audit = nav(client_for(staff).get("/jobs/audit/").content.decode())
    assert '<a href="/dashboard/" >' in on_audit and '<a href="/jobs/audit/" aria-current="page">' in on_audit
    mine = nav(client_for(applicant).get("/dashboard/").content.decode())
    assert "/jobs/audit/" not in mine and '<a href="/dashboard/" aria-current="page">' in mine
    public = nav(client.get("/challenges/").content.decode())
    assert "/dashboard/" not in public and '<a href="/challenges/" aria-current="page">' in public
    english(client)
    in_english = nav(client.get("/challenges/").content.decode())
    assert in_english != public and '<a href="/challenges/" aria-current="page">' in in_english


def test_the_top_bar_marks_the_menu_the_page_is_in(make_user, client_for):
    """The indicators' own page is also named "dashboard": the top bar marked "My dashboard" as the open page
    there. A page below an entry (a platform's page under "Innovation platforms") marks that entry as the
    section (aria-current="true", not "page"), and its menu group shows it is open there."""
    import re

    from kechuang.core.templatetags.kechuang import current_nav_url

    def nav(body):
        return re.search(r'<nav class="mainnav".*?</nav>', body, re.S).group(0)

    staff = make_user(Role.STAFF)
    on_indicators = nav(client_for(staff).get("/indicators/").content.decode())
    assert '<a href="/dashboard/" >' in on_indicators
    assert '<a href="/indicators/" aria-current="page">' in on_indicators
    group = re.search(
        r'<li class="navgroup current"><details><summary>(.*?)</summary>(.*?)</details>', on_indicators, re.S
    )
    assert group and '"/indicators/"' in group.group(2)
    assert on_indicators.count('class="navgroup current"') == 1
    on_dashboard = nav(client_for(staff).get("/dashboard/").content.decode())
    assert (
        '<a href="/dashboard/" aria-current="page">' in on_dashboard
        and "navgroup current" not in on_dashboard
    )

    urls = ["/", "/challenges/", "/challenges/projects/", "/jobs/", "/jobs/audit/"]
    assert current_nav_url("/challenges/projects/7/", urls) == "/challenges/projects/"
    assert current_nav_url("/challenges/12/", urls) == "/challenges/"
    assert current_nav_url("/jobs/audit/", urls) == "/jobs/audit/"
    assert current_nav_url("/", urls) == "/"
    assert current_nav_url("/accounts/profile/", urls) is None  # the root is not every page's section
    assert current_nav_url(None, urls) is None
