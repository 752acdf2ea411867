"""Background job: ingest a batch of report files, with progress a person can watch."""

import contextlib
import logging
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kechuang.core.exceptions import ApplicationError
from kechuang.core.jobs import JobContext, job_handler
from kechuang.core.messages import encode
from kechuang.core.roles import SYSTEM

logger = logging.getLogger(__name__)


def _reason(exc: Exception, path: str, *, server_copy: bool):
    """Why a file failed, as the job's page shows it: the check's own words; for an operating-system error on
    the page's upload copy a sentence — not its text, which names the server's folders and the OS's error
    numbers (docs/security.md §49) — the text logged for the operator. The command line's own files keep it."""
    if isinstance(exc, ApplicationError):
        return exc.message
    if not server_copy:
        return str(exc)
    logger.warning("ingest.batch: %s: %s", path, exc)
    return _("无法读取该文件。")


def expand_paths(paths: list[str]) -> list[str]:
    """Files named, and the files inside directories named (sorted, hidden files skipped)."""
    out = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(
                str(f)
                for f in sorted(path.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.parts)
            )
        else:
            out.append(str(path))
    return out


@job_handler("ingest.batch", title=_("导入报告"))
def ingest_batch(
    job: JobContext,
    *,
    paths: list[str],
    year: int | None = None,
    region: str = "",
    remove_after: bool = False,
) -> dict:
    """Ingest every file; a file that cannot be read is reported with its reason, the others go on."""
    from .services import document_ingest, report_read

    files = expand_paths(paths)
    actor = job.user or SYSTEM

    def shown(path: str) -> str:
        # the page's batches are copies in the server's upload folder: the job's page names the file only
        return os.path.basename(path) if remove_after else path

    created, existing, failed = [], [], []
    for i, path in enumerate(files):
        job.progress(100 * i / max(1, len(files)), os.path.basename(path))
        try:
            # the upload page's checks, for the command line's files too (docs/security.md §43)
            data = report_read(path)
        except (OSError, ApplicationError) as exc:
            failed.append(
                {
                    "path": shown(path),
                    "error": encode(_reason(exc, path, server_copy=remove_after)),
                    "refused": isinstance(exc, ApplicationError),
                }
            )
            if remove_after:
                Path(path).unlink(missing_ok=True)
            continue
        try:
            document, was_created = document_ingest(
                actor=actor, data=data, filename=os.path.basename(path), year=year, region=region
            )
        except (OSError, ApplicationError) as exc:
            # the reason kept as words (msgid and parameters) where it is the system's: read in the reader's language
            failed.append(
                {"path": shown(path), "error": encode(_reason(exc, path, server_copy=remove_after))}
            )
            continue
        finally:
            # the upload page's copies go whatever became of them: a refused report was left on the server
            # for good (docs/security.md §41); a stored one is kept in the database
            if remove_after:
                Path(path).unlink(missing_ok=True)
        (created if was_created else existing).append(
            {"path": shown(path), "id": document.pk, "title": document.title}
        )
    if remove_after:
        for folder in {Path(p).parent for p in files}:
            with contextlib.suppress(OSError):  # the upload's own folder, once empty
                folder.rmdir()
    job.progress(100, "")
    return {"created": created, "existing": existing, "failed": failed, "files": len(files)}
