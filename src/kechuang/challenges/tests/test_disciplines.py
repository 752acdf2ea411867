"""An application's disciplines: chosen by name in the form and the API, stored as codes, read as names."""

from django.urls import reverse

from kechuang.core.formkinds import rows_post

from .factories import ApplicationFactory


def _post(app, disciplines):
    data = {
        "title": app.title,
        "plan": app.plan,
        "budget_requested": "600",
        "budget_self": "0",
        "version": str(app.version),
        "disciplines": disciplines,
    }
    data |= rows_post(
        "milestones_text",
        [{"title": m.title, "month": m.month, "tranche": m.tranche} for m in app.milestones.all()],
    )
    return data | rows_post("partners_text", []) | rows_post("team_text", [])


def test_the_form_takes_disciplines_by_name_keeps_a_refused_one_and_the_page_reads_names(client_for):
    app = ApplicationFactory(disciplines="")
    c = client_for(app.leader)
    url = reverse("challenges:application-edit", args=[app.pk])
    assert reverse("web:pick-disciplines") in c.get(url).content.decode()
    r = c.post(url, _post(app, ["430.25", "量子玄学"]))
    assert r.status_code == 400
    html = r.content.decode()
    assert (
        "量子玄学" in html
        and '<option value="430.25" selected>材料科学 › 材料检测与分析技术</option>' in html
    )
    r = c.post(url, _post(app, ["430.25", "机械工程/刀具技术"]))
    assert r.status_code == 302, r.content.decode()[:2000]
    app.refresh_from_db()
    assert app.disciplines == "430.25, 460.30"
    assert app.review_subject().disciplines == ("430.25", "460.30")  # affinity still reads codes
    page = c.get(app.get_absolute_url()).content.decode()
    assert "材料科学 › 材料检测与分析技术、机械工程 › 刀具技术" in page


def test_the_api_takes_names_or_codes_and_reads_names_beside_codes(api_for):
    app = ApplicationFactory(disciplines="999.99")
    client = api_for(app.leader)
    edit = reverse("api:challenges-application-edit", args=[app.pk])
    r = client.patch(edit, {"version": app.version, "disciplines": "代数学, 量子玄学"}, format="json")
    assert r.status_code == 400 and "量子玄学" in str(r.json()["error"])
    r = client.patch(edit, {"version": app.version, "disciplines": "代数学、46030"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["disciplines"] == "110.21, 460.30"
    assert r.json()["discipline_names"] == ["数学 › 代数学", "机械工程 › 刀具技术"]
