"""A new draft application's record area says what will be written there, not 暂无记录 (session 14, walker4)."""

import pytest
from django.conf import settings

from ..factories import ApplicationFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", "草稿尚未提交；提交后，每一步办理都记在这里。"),
        ("en", "This draft has not been submitted yet; once it is, every step taken on it is recorded here."),
    ],
)
def test_a_draft_application_says_its_record_starts_when_it_is_submitted(client_for, language, words):
    app = ApplicationFactory()
    c = client_for(app.leader)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = c.get(app.get_absolute_url()).content.decode()
    assert words in page
    assert "暂无记录" not in page and "No events yet." not in page


@pytest.mark.django_db
def test_a_submitted_application_without_a_record_keeps_the_plain_empty_line(client_for):
    app = ApplicationFactory(submitted=True)
    page = client_for(app.leader).get(app.get_absolute_url()).content.decode()
    assert "草稿尚未提交" not in page
