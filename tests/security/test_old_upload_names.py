"""Files stored before names on disk were random keep their original, guessable names (issue #14.5):
`kechuang uploads rename` moves them to `<prefix>/<year>/<random token>/<name>`, points their rows there and
audits each move; a dry run changes nothing; a row whose file is missing is reported and left alone."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNGUESSABLE = r"^{prefix}/\d{{4}}/[A-Za-z0-9_-]{{16}}/{name}$"


@pytest.fixture
def media():
    """The storage the file fields use (in memory under the test settings)."""
    return default_storage


def _old_attachment(name):
    from kechuang.challenges.models import Attachment
    from kechuang.challenges.tests.factories import ApplicationFactory

    stored = default_storage.save(f"challenges/attachments/2024/05/{name}", ContentFile(PDF))
    return Attachment.objects.create(
        application=ApplicationFactory(),
        file=stored,
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )


def _old_evidence(name):
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory()
    stored = default_storage.save(f"platforms/evidence/{name}", ContentFile(PDF))
    return platform.achievements.create(kind="other", title="旧成果", year=2023, evidence_file=stored)


def test_old_names_move_to_unguessable_paths_and_the_rows_follow(
    media, staff, client_for, capsys, django_capture_on_commit_callbacks
):
    from kechuang.challenges.services import attachment_add

    old = _old_attachment("方案.pdf")
    evidence = _old_evidence("佐证.pdf")
    new_style = attachment_add(
        actor=old.application.leader, application=old.application, data=PDF, filename="新.pdf", kind="plan"
    )
    kept = new_style.file.name
    assert media.exists("challenges/attachments/2024/05/方案.pdf")
    call_command("uploads", "rename", "--dry-run")
    assert "would move 2 files" in capsys.readouterr().out
    old.refresh_from_db()
    assert (
        old.file.name == "challenges/attachments/2024/05/方案.pdf"
        and not AuditEvent.objects.filter(action="upload.rename").exists()
    )

    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the row is committed
        call_command("uploads", "rename")
    assert "moved 2 files" in capsys.readouterr().out
    old.refresh_from_db()
    evidence.refresh_from_db()
    new_style.refresh_from_db()
    assert re.match(UNGUESSABLE.format(prefix="challenges/attachments", name="方案\\.pdf"), old.file.name)
    assert re.match(
        UNGUESSABLE.format(prefix="platforms/evidence", name="佐证\\.pdf"), evidence.evidence_file.name
    )
    assert new_style.file.name == kept  # already unguessable: untouched
    assert not media.exists("challenges/attachments/2024/05/方案.pdf")
    assert not media.exists("platforms/evidence/佐证.pdf")
    with media.open(old.file.name) as fh:
        assert fh.read() == PDF
    from django.contrib.contenttypes.models import ContentType

    event = AuditEvent.objects.get(
        action="upload.rename", object_id=str(old.pk), content_type=ContentType.objects.get_for_model(old)
    )
    assert event.before == {"file": "challenges/attachments/2024/05/方案.pdf"} and event.after == {
        "file": old.file.name
    }
    # The download still works, under its original name.
    response = client_for(old.application.leader).get(f"/challenges/attachments/{old.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # A second run finds nothing left to move.
    call_command("uploads", "rename")
    assert "moved 0 files" in capsys.readouterr().out


def test_a_row_whose_file_is_missing_is_reported_and_left_alone(media, capsys):
    old = _old_attachment("丢失.pdf")
    default_storage.delete(old.file.name)
    call_command("uploads", "rename")
    captured = capsys.readouterr()
    assert "missing" in captured.err and "丢失.pdf" in captured.err and "moved 0 files" in captured.out
    old.refresh_from_db()
    assert old.file.name == "challenges/attachments/2024/05/丢失.pdf"
