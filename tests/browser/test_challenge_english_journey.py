"""Staff open an awarded challenge's “英文名称与单位” page from its page, give the list's English name, an
indicator's English name and a unit the common-unit table does not know; another member of staff saved first,
so the save is refused (what was typed kept, beside what was saved); saved again, the list and its contract
read in English. axe-core finds no critical or serious violation on the page, refused or in English
(usable13)."""

import pytest

from kechuang.core.roles import Role

from .test_accessibility import AXE, FAILING, RUN_AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page) -> list[str]:
    return [
        f"[{v['impact']}] {v['id']}: {v['help']} {v['nodes'][:2]}"
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in FAILING
    ]


def test_staff_give_an_awarded_lists_english_names_and_units(pages, make_user):
    from kechuang.challenges.models import ChallengeIndicator, ContractIndicator
    from kechuang.challenges.tests.factories import ContractFactory

    contract = ContractFactory(title="碳化硅单晶衬底")
    ch = contract.challenge
    ch.status = "awarded"
    ch.save(update_fields=["status"])
    # 个/视场 (per field of view): a unit core.units' table does not know (its hint), as 个/平方厘米 was before
    ChallengeIndicator.objects.filter(challenge=ch, name="微管密度").update(unit="个/视场")
    ContractIndicator.objects.filter(contract=contract, name="微管密度").update(unit="个/视场")
    make_user(Role.STAFF, username="u13_staff", full_name="王处长")
    p = pages
    p.who = "staff"
    p.login("u13_staff")
    p.page.context.add_init_script(path=str(AXE))  # by the browser, so the site's CSP does not apply
    p.goto(ch.get_absolute_url(), "challenge")
    p.click("main a:has-text('英文名称与单位')", "english-page")
    g = p.page
    assert g.locator("h1").inner_text() == "英文名称与单位"
    assert "任务书中同名指标的英文名称和单位" in g.inner_text("main")
    unit = g.get_by_label("“个/视场”的英文单位")
    assert "常用单位表中没有这个单位" in g.inner_text("main")
    g.get_by_label("榜单英文名称").fill("SiC single-crystal substrates")
    g.get_by_label("“微管密度”的英文名称").fill("Micropipe density")
    unit.fill("pits per field of view")
    # meanwhile another member of staff names the list on its page: this save is refused as stale
    from kechuang.challenges import services

    other = make_user(Role.STAFF, username="u13_other", full_name="李科长")
    services.challenge_translate(actor=other, challenge=ch, title_en="SiC substrates")
    p.allowed.append("status of 400")  # the refused save answers 400 (on purpose)
    p.click("main button[type=submit]", "stale")
    stale = g.inner_text("main .stale")
    assert "有人先保存了新的内容" in stale and "SiC substrates" in stale
    assert g.get_by_label("榜单英文名称").input_value() == "SiC single-crystal substrates"
    assert g.get_by_label("“微管密度”的英文名称").input_value() == "Micropipe density"
    assert g.get_by_label("“个/视场”的英文单位").input_value() == "pits per field of view"
    assert not _axe(g), "\n".join(_axe(g))
    p.click("main button[type=submit]", "saved")  # again, knowingly: the form took the stored version
    assert "已保存英文名称和单位" in p.messages()
    assert (
        ContractIndicator.objects.get(contract=contract, name="微管密度").unit_en == "pits per field of view"
    )
    # the list in English, as a person switches it: the language menu in the top bar
    with g.expect_navigation():
        g.select_option("#lang-select", "en")
    g.wait_for_load_state()
    p.shot("challenge-en")
    main = g.inner_text("main")
    assert "SiC single-crystal substrates" in main and "Micropipe density" in main
    assert "pits per field of view" in main and "inches" in main and "个/视场" not in main
    p.goto(contract.get_absolute_url(), "contract-en")
    main = g.inner_text("main")
    assert "Micropipe density" in main and "pits per field of view" in main
    p.goto(f"/challenges/{ch.pk}/english/", "english-page-en")
    assert g.locator("h1").inner_text() == "English names and units"
    assert not _axe(g), "\n".join(_axe(g))
