"""Every audit action the code writes reads as words on the audit log and the object trails (core.display),
never as the stored key (`user.orcid`, `programmes.call_award`): the mission's "nothing shown is a code".

The actions are the literal `action="…"` of every `audit_record` call in the source; a state machine's
transitions read by their own labels."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from kechuang.core.display import action_label

SRC = Path(__file__).resolve().parents[1] / "src" / "kechuang"
LITERAL = re.compile(r'action\s*=\s*"([a-z_]+(?:\.[a-z_]+)+)"')


def _actions() -> list[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def test_the_scan_finds_the_actions():
    actions = _actions()
    assert len(actions) > 150
    assert "user.orcid" in actions and "programmes.call_award" in actions


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_audited_action_reads_as_words(language):
    with translation.override(language):
        unread = [a for a in _actions() if action_label(a)[0] == a]
    assert unread == []


def test_a_whole_action_is_not_joined_to_a_noun():
    from kechuang.accounts.models import User

    with translation.override("zh-hans"):
        assert action_label("user.orcid", User) == ("填写ORCID iD", False)
        assert action_label("user.update", User)[0] == "修改用户"
    with translation.override("en"):
        assert action_label("user.otp_enable", User)[0] == "Turned on two-factor authentication"


def test_signing_in_and_an_assignments_result_read_as_what_was_done():
    # they read "Sign in Users" and "分配结果评审轮次" (a verb joined to the model's name)
    from kechuang.accounts.models import User
    from kechuang.review.models import Round

    with translation.override("zh-hans"):
        assert action_label("auth.login", User) == ("登录平台", False)
        assert action_label("auth.logout", User) == ("退出平台", False)
        assert action_label("round.assign_result", Round) == ("记录专家分配结果", False)
    with translation.override("en"):
        assert action_label("auth.login", User)[0] == "Signed in"
        assert action_label("auth.logout", User)[0] == "Signed out"
        assert action_label("round.assign_result", Round)[0] == "Recorded the result of assigning experts"


def test_an_action_and_its_object_read_as_an_english_sentence():
    # they read "Created Indicators", "Change Indicators", "Add indicator Evaluation campaign" (a button's verb
    # joined to a menu's heading)
    from kechuang.evaluation.models import Campaign
    from kechuang.indicators.models import Indicator
    from kechuang.platforms.models import Membership, Platform

    with translation.override("en"):
        assert action_label("indicator.create", Indicator)[0] == "Created indicator"
        assert action_label("indicator.update", Indicator)[0] == "Changed indicator"
        assert action_label("platform.create", Platform)[0] == "Created innovation platform"
        assert action_label("membership.end", Membership)[0] == "Ended membership"
        assert action_label("campaign.node_add", Campaign)[0] == "Added an indicator to evaluation campaign"
    with translation.override("zh-hans"):
        assert action_label("indicator.create", Indicator)[0] == "创建指标"
        assert action_label("indicator.update", Indicator)[0] == "修改指标"
        assert action_label("membership.end", Membership)[0] == "结束成员关系"
        assert action_label("campaign.node_add", Campaign)[0] == "添加指标评估活动"


# English past forms that do not end in -ed, as the registered verbs begin.
IRREGULAR_PAST = {
    "Set",
    "Reran",
    "Ran",
    "Made",
    "Found",
    "Held",
    "Withdrew",
    "Drew",
    "Sent",
    "Resent",
    "Built",
    "Kept",
    "Lost",
}
# Words of an event rather than of what the actor did (their English names what happened, not a verb):
# a bulk action in the admin site, a wrong password given, a registration lapsing, a role asking for 2FA.
EVENTS = {"action", "user.email_confirm_refused", "user.registration_claim_lapse", "user.otp_step_up"}


def _registered() -> list[tuple[str, object]]:
    from kechuang.core import display

    return [*display.VERBS.items(), *display.ACTIONS.items()]


def test_every_registered_verb_reads_in_the_past_in_english_in_its_audit_context():
    """Every verb and whole action an app registers (core's and each app's, register_words) is a
    pgettext_lazy in the "审计" context — its own English, apart from a button's word — and that English is
    the past tense of what was done ("Set the projects evaluated in", not "设置参评项目" or "Fill in the
    budget"): the trail says what happened."""
    wrong = []
    for key, words in _registered():
        func, args = words.__reduce__()[1][:2] if hasattr(words, "_args") else (None, ())
        if getattr(func, "__name__", "") != "pgettext" or args[0] != "审计":
            wrong.append((key, "not in the 审计 context"))
            continue
        with translation.override("en"):
            english = str(words)
        first = english.split()[0].rstrip(":")
        if re.search(r"[\u4e00-\u9fff]", english) or english == args[1]:
            wrong.append((key, "no English"))
        elif key not in EVENTS and not (
            first[:1].isupper() and (first.endswith("ed") or first in IRREGULAR_PAST)
        ):
            wrong.append((key, english))
    assert wrong == []


def test_the_walk_covers_every_apps_registered_verbs():
    keys = {key for key, _words in _registered()}
    # core's, and those evaluation, funds, documents, challenges and ingest register
    assert {
        "create",
        "contracts_set",
        "node_weight",
        "budget_set",
        "issue",
        "partners_set",
        "fact.check",
    } <= keys
