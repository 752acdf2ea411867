"""A review form built by staff reaches the expert's scoring sheet (issue #18): staff add a short-text field
and a file field to a new version of the review form in the builder, publish it, a review round is scored on
it, and the expert sees the new fields on their sheet, fills the text, uploads a PDF, saves the draft and
submits — the value and the file (name, size, download link) are shown back. axe-core finds no critical or
serious violation on the sheet with the stored file (and its flash message: found here, the messages list
had role="status" on the <ul>, which took its list role from the <li>s)."""

import pytest

from kechuang.core.roles import Role

from .test_accessibility import AXE, FAILING, RUN_AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _review_form(staff):
    """A published review form version (v1) with a scored criterion and a recommendation field."""
    from kechuang.programmes.models import FormDefinition, FormVersion

    definition = FormDefinition.objects.create(name="函评专家评审表", purpose="review_form")
    return FormVersion.objects.create(
        definition=definition,
        number=1,
        status="published",
        fields=[
            {
                "key": "tech",
                "kind": "number",
                "label": "技术先进性",
                "required": True,
                "min": "0",
                "max": "40",
            },
            {
                "key": "f1",
                "kind": "choice",
                "label": "推荐意见",
                "required": True,
                "options": ["推荐", "不推荐"],
            },
        ],
        next_key=2,
    )


def _round_on(staff, expert, version):
    """A round scored on `version`, its one subject assigned to `expert`, started. Its review."""
    from kechuang.review import services
    from kechuang.review.models import Review
    from kechuang.review.tests.factories import ExternalSubjectFactory, ReviewFormFactory

    form = ReviewFormFactory(criteria=[("tech", "技术", "1", 40)])
    rnd = services.round_create(
        actor=staff,
        title="2027 年度函评",
        subjects=[ExternalSubjectFactory(title="煤基石墨烯中试")],
        form=form,
        k=1,
        max_load=1,
        sheet=version,
        experts=type(expert.expert_profile).objects.filter(pk=expert.expert_profile.pk),
    )
    rnd = services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    return Review.objects.get(assignment__round=rnd)


def test_staff_add_a_file_field_to_the_review_form_and_the_expert_fills_and_uploads_it(
    pages, make_user, tmp_path
):
    from kechuang.programmes.models import FormVersion
    from kechuang.review.models import ReviewFile
    from kechuang.review.tests.factories import ExpertProfileFactory

    staff = make_user(Role.STAFF, username="rs_staff", full_name="王处长")
    expert = make_user(Role.EXPERT, username="rs_expert", full_name="陈教授")
    ExpertProfileFactory(user=expert)
    v1 = _review_form(staff)

    # staff: a new version of the review form, two fields added in the builder, published
    p = pages
    p.who = "staff"
    p.login("rs_staff")
    p.goto(f"/programmes/forms/versions/{v1.pk}/", "review-form-v1")
    p.click("main button[value=new]", "review-form-v2-draft")
    v2 = FormVersion.objects.get(definition=v1.definition, number=2)
    f = p.page
    p.click(f.locator("main a", has_text="添加字段"), "add-text-field")
    f.fill("#id_label", "现场考察结论")
    f.select_option("#id_kind", "short_text")
    p.click("main form button[type=submit]", "text-field-added")
    p.click(f.locator("main a", has_text="添加字段"), "add-file-field")
    f.fill("#id_label", "评审佐证材料")
    f.select_option("#id_kind", "file")
    f.check("input[name=file_kinds][value=pdf]")
    f.fill("#id_max_mb", "2")
    p.click("main form button[type=submit]", "file-field-added")
    assert "评审佐证材料" in f.inner_text("main") and "现场考察结论" in f.inner_text("main")
    f.check("input[name=confirm]")
    p.click("main button[value=publish]", "review-form-v2-published")
    v2.refresh_from_db()
    assert v2.is_published
    keys = {s["label"]: s["key"] for s in v2.fields}
    text_key, file_key = keys["现场考察结论"], keys["评审佐证材料"]
    assert next(s for s in v2.fields if s["key"] == file_key)["kind"] == "file"

    # a round is scored on the new version (as a call's review stage opens one on its form)
    review = _round_on(staff, expert, v2)

    # the expert: the sheet asks the new fields; the text is typed, a PDF uploaded, the draft saved
    e = p.person("expert")
    e.login("rs_expert")
    e.page.context.add_init_script(path=str(AXE))  # by the browser, so the site's CSP does not apply
    e.goto(f"/review/reviews/{review.pk}/", "review-pending")
    e.page.get_by_label("我声明与该评审对象无利益冲突").check()  # the declaration a box to tick first
    e.click("main button:has-text('开始评审')", "sheet-opened")
    g = e.page
    main = g.inner_text("main")
    assert "现场考察结论" in main and "评审佐证材料" in main and "可上传" in main
    g.fill("#id_tech", "36")
    g.select_option("#id_f1", "推荐")
    g.fill(f"#id_{text_key}", "中试线运行稳定")
    # first a program renamed to .pdf: refused on the field, what was typed kept
    exe = tmp_path / "伪装.pdf"
    exe.write_bytes(
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
    )
    g.set_input_files(f"#id_{file_key}", str(exe))
    e.allowed.append("status of 400")  # the refused save answers 400 (on purpose)
    e.click("main button:has-text('保存草稿')", "upload-refused")
    assert "可执行程序" in g.inner_text(f'.field[data-key="{file_key}"]')
    assert g.input_value(f"#id_{text_key}") == "中试线运行稳定" and not ReviewFile.objects.exists()
    pdf = tmp_path / "现场考察记录.pdf"
    pdf.write_bytes(PDF)
    g.set_input_files(f"#id_{file_key}", str(pdf))
    g.fill("#id_comments", "建议支持")
    e.click("main button:has-text('保存草稿')", "draft-saved")
    assert "已保存草稿" in e.messages()
    stored = ReviewFile.objects.get()
    assert stored.original_name == "现场考察记录.pdf" and stored.key == file_key
    link = f"/review/reviews/files/{stored.pk}/"
    # shown back: the typed value in its field, the file by name and size with its download link
    assert g.input_value(f"#id_{text_key}") == "中试线运行稳定"
    field = g.locator(f'.field[data-key="{file_key}"]')
    assert "现场考察记录.pdf" in field.inner_text() and field.locator(f'a[href="{link}"]').count() == 1
    bad = [
        f"[{v['impact']}] {v['id']}: {v['help']} {v['nodes'][:2]}"
        for v in g.evaluate(RUN_AXE)
        if v["impact"] in FAILING
    ]
    assert not bad, "\n".join(bad)
    response = g.request.get(e.base_url + link)
    assert response.status == 200 and response.body() == PDF
    # submitted: the read-only sheet shows the value and the file with its link
    e.page.check("main input[name=confirm]")  # submitting is final: a ticked box confirms it
    e.click("main button[name=submit]", "submitted")
    review.refresh_from_db()
    assert review.status == "submitted" and review.sheet_values[text_key] == "中试线运行稳定"
    sheet = g.inner_text("main table.sheet")
    assert "中试线运行稳定" in sheet and "现场考察记录.pdf" in sheet
    assert g.locator(f'main table.sheet a[href="{link}"]').count() == 1
