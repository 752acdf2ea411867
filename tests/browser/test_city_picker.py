"""The city picker narrowed by the province (core.pickers.CityField, app.js narrow()), driven as a person
drives it: typing part of a name and clicking the option, with no pause between the two pickers.

Walked (session 17): after a province was chosen, the first click on the city went nowhere — the province's
search box, full width under the chosen name while it had the focus, collapsed as it lost it, and the city box
moved from under the pointer between mouse-down and mouse-up; and a choice made within 300 ms of the last key
was followed by the province list opening again over the city (Tom Select's delayed refresh), taking the
keys meant for the city."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATE = """(id) => { const t = document.querySelector('#' + id).tomselect;
  return {open: t.isOpen, focused: t.isFocused, value: t.getValue(), height: t.control.getBoundingClientRect().height,
          cities: Object.keys(t.options).filter(k => k)}; }"""


def pick(page, field: str, typed: str, option: str) -> None:
    page.locator(f".ts-wrapper:has(#id_{field}-ts-control) .ts-control").click()
    page.keyboard.type(typed)
    page.locator(".ts-dropdown .option", has_text=option).first.click()


def test_the_city_is_picked_from_the_chosen_provinces_cities_straight_after_the_province(pages):
    f = pages.page
    f.goto(pages.base_url + "/accounts/register/", timeout=60_000)
    pages.shot("register")
    unfocused = f.evaluate(STATE, "id_province")["height"]
    pick(f, "province", "山西", "山西省")
    province = f.evaluate(STATE, "id_province")
    # The picker keeps its height with the focus (its search box beside the chosen name, not under it).
    assert province["value"] == "140000" and province["height"] == unfocused

    # Straight on to the city, no pause: the click opens it, the keys go to it.
    pick(f, "city", "晋中", "晋中市")
    city = f.evaluate(STATE, "id_city")
    assert city["value"] == "晋中市" and f.input_value("#id_city") == "晋中市"
    assert "太原市" in city["cities"] and "石家庄市" not in city["cities"] and len(city["cities"]) == 11
    f.wait_for_timeout(400)  # longer than Tom Select's default refresh delay: no list opens again by itself
    assert not f.evaluate(STATE, "id_province")["open"] and not f.evaluate(STATE, "id_city")["open"]
    pages.shot("city-picked")

    # Another province: the city that is not in it is let go, and the list is the new province's.
    pick(f, "province", "河北", "河北省")
    city = f.evaluate(STATE, "id_city")
    assert city["value"] == "" and "石家庄市" in city["cities"] and "晋中市" not in city["cities"]
    pick(f, "city", "石家庄", "石家庄市")
    assert f.input_value("#id_city") == "石家庄市"
    pages.shot("province-changed")
