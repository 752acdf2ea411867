"""Disciplines chosen and read by name (GB/T 13745), stored as codes: the picker, the expert's form, the
pages, the export, the import and the API."""

import io

import openpyxl
from django.urls import reverse

from kechuang.review import services
from kechuang.review.models import ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

PICK = "web:pick-disciplines"


def test_picker_answers_anyone_signed_in_by_name_pinyin_and_code(client_for, applicant, expert, staff):
    assert client_for(None).get(reverse(PICK), {"q": "代数"}).status_code == 302  # to sign in
    for user in (applicant, expert, staff):
        results = client_for(user).get(reverse(PICK), {"q": "代数"}).json()["results"]
        assert {"value": "110.21", "text": "数学 › 代数学"} in results
    c = client_for(expert)
    assert c.get(reverse(PICK), {"q": "dsx"}).json()["results"][0]["value"] == "110.21"
    assert c.get(reverse(PICK), {"q": "46030"}).json()["results"][0] == {
        "value": "460.30",
        "text": "机械工程 › 刀具技术",
    }
    # the third level: found by its name and shown with its path
    assert c.get(reverse(PICK), {"q": "切削刀具"}).json()["results"][0] == {
        "value": "460.3020",
        "text": "机械工程 › 刀具技术 › 切削刀具",
    }
    assert c.get(reverse(PICK), {"q": ""}).json() == {"results": []}
    assert c.post(reverse(PICK), {"q": "代数"}).status_code == 405


def _save(c, profile, disciplines):
    return c.post(
        reverse("review:my-profile"),
        {
            "save": "1",
            "title": "教授",
            "disciplines": disciplines,
            "keywords": "碳化硅",
            "yearly_cap": 10,
            "version": profile.version,
        },
    )


def test_profile_form_stores_codes_chosen_by_name_and_keeps_a_refused_choice(client_for, expert):
    c = client_for(expert)
    c.post(reverse("review:my-profile"), {"create": "1"})
    profile = expert.expert_profile
    # refused: one choice names nothing; the page says which and keeps both choices, by name
    resp = _save(c, profile, ["430.25", "量子玄学"])
    page = resp.content.decode()
    assert resp.status_code == 400 and "不在学科分类表" in page and "量子玄学" in page
    assert '<option value="430.25" selected>材料科学 › 材料检测与分析技术</option>' in page
    profile.refresh_from_db()
    assert profile.disciplines == []
    # the select submits codes; a typed name (no JavaScript) is read too; stored as codes, in order
    assert _save(c, profile, ["430.25", "数学/代数学"]).status_code == 302
    profile.refresh_from_db()
    assert profile.disciplines == ["430.25", "110.21"]
    page = c.get(reverse("review:my-profile")).content.decode()
    assert "材料科学 › 材料检测与分析技术" in page and "数学 › 代数学" in page


def test_an_old_code_outside_the_table_shows_as_unknown_and_may_stay(client_for, expert, staff):
    profile = ExpertProfileFactory(user=expert, disciplines=["999.99", "430.25"])
    c = client_for(expert)
    page = c.get(reverse("review:my-profile")).content.decode()
    assert "未知学科（999.99）" in page
    # saved again unchanged: the code the profile held is kept (the person removes it when they choose)
    assert _save(c, profile, ["999.99", "430.25"]).status_code == 302
    profile.refresh_from_db()
    assert profile.disciplines == ["999.99", "430.25"]
    staff_page = client_for(staff).get(reverse("review:expert-list")).content.decode()
    assert "未知学科（999.99）" in staff_page and "不在学科分类表中" in staff_page


def test_staff_pages_and_export_show_names_and_filter_by_a_discipline_chosen_by_name(client_for, staff):
    mech = ExpertProfileFactory(disciplines=["460.30"], status=ExpertProfile.Status.APPROVED)
    mat = ExpertProfileFactory(disciplines=["430.25"], status=ExpertProfile.Status.APPROVED)
    c = client_for(staff)
    page = c.get(reverse("review:expert-list")).content.decode()
    assert "机械工程 › 刀具技术" in page and "460.30" not in page
    filtered = c.get(reverse("review:expert-list"), {"discipline": "460"}).content.decode()
    assert str(mech.user) in filtered and str(mat.user) not in filtered
    assert '<option value="460" selected>机械工程</option>' in filtered
    assert c.get(reverse("review:expert-detail", args=[mech.pk])).content.decode().count("刀具技术") >= 1
    resp = c.get(reverse("review:expert-list") + "?export=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active
    header = [cell.value for cell in ws[1]]
    names = header.index("学科")
    codes = header.index("学科代码（GB/T 13745，供系统读取）")
    rows = {r[names]: r[codes] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["机械工程 › 刀具技术"] == "460.30"


def test_import_accepts_names_or_codes_and_reports_an_unknown_one_by_line(staff):
    from kechuang.accounts.tests.factories import UnitFactory

    UnitFactory(name="山西大学", kind="university", credit_code="")
    bad = "姓名,单位,邮箱,学科\n张三,山西大学,zhang@sxu.cn,机械工程\n李四,山西大学,li@sxu.cn,量子玄学\n"
    report = services.expert_import(actor=staff, data=bad.encode(), filename="e.csv", dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(3, "学科")]
    assert "量子玄学" in report.errors[0].message
    good = '姓名,单位,邮箱,学科代码\n张三,山西大学,zhang@sxu.cn,"畜牧、兽医科学、数学/代数学，46030"\n'
    done = services.expert_import(actor=staff, data=good.encode(), filename="e.csv", dry_run=False)
    assert done.committed
    assert ExpertProfile.objects.get(user__email="zhang@sxu.cn").disciplines == ["230", "110.21", "460.30"]


def test_api_reads_names_beside_codes_and_refuses_an_unknown_one(client_for, staff, expert):
    profile = ExpertProfileFactory(disciplines=["460.30", "999.99"])
    rows = client_for(staff).get(reverse("api:review-expert-list")).json()
    row = next(r for r in rows.get("results", rows) if r["id"] == profile.pk)
    assert row["disciplines"] == ["460.30", "999.99"]
    assert row["discipline_names"] == ["机械工程 › 刀具技术", "未知学科（999.99）"]
    mine = ExpertProfileFactory(user=expert, disciplines=[])
    c = client_for(expert)
    url = reverse("api:review-my-profile")
    resp = c.patch(
        url, {"disciplines": ["数学/代数学", "量子玄学"], "version": mine.version}, "application/json"
    )
    assert resp.status_code == 400 and "量子玄学" in str(resp.json())
    resp = c.patch(url, {"disciplines": ["代数学", "46030"], "version": mine.version}, "application/json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["disciplines"] == ["110.21", "460.30"]
    assert resp.json()["discipline_names"] == ["数学 › 代数学", "机械工程 › 刀具技术"]


def test_the_round_page_names_the_matched_disciplines_once_by_their_deepest_path(
    client_for, staff, reviewing_round
):
    rnd, _, _ = reviewing_round  # factories: every subject and expert in 430.25
    page = client_for(staff).get(rnd.get_absolute_url()).content.decode()
    assert "材料科学 › 材料检测与分析技术" in page
    assert "材料科学、材料科学" not in page and "430.25" not in page


def test_an_expert_is_found_by_the_name_of_a_discipline_they_hold(client_for, staff):
    mech = ExpertProfileFactory(
        disciplines=["460.30"], keywords=["切削"], status=ExpertProfile.Status.APPROVED
    )
    mat = ExpertProfileFactory(
        disciplines=["430.25"], keywords=["检测"], status=ExpertProfile.Status.APPROVED
    )
    c = client_for(staff)
    page = c.get(reverse("review:expert-list"), {"q": "刀具技术"}).content.decode()
    assert str(mech.user) in page and str(mat.user) not in page
    found = c.get(reverse("web:pick-experts"), {"q": "机械工程"}).json()["results"]
    assert [r["value"] for r in found] == [str(mech.user_id)]
