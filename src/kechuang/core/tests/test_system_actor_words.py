"""Who acted when no person did, in words (walked, session 31, people28): the demo's rows read "demo" in every
audit trail's actor column; a job or a command is audited under a name too ("dedup", "cli:root" with the
operating system's login), never shown."""

import pytest
from django.utils import translation

from kechuang.core.display import system_actor_words


@pytest.mark.parametrize(
    ("stored", "zh", "en"),
    [
        ("demo", "演示数据", "Demo data"),
        ("system", "系统", "system"),
        ("", "系统", "system"),
        ("dedup", "查重", "Duplicate check"),
        ("selftest", "系统自检", "System self-test"),
        ("cli:root", "命令行", "Command line"),
        ("王处长", "王处长", "王处长"),  # a person's public name, kept when the person was removed
    ],
)
def test_a_system_actor_reads_in_words(stored, zh, en):
    with translation.override("zh-hans"):
        assert system_actor_words(stored) == zh
    with translation.override("en"):
        assert system_actor_words(stored) == en
