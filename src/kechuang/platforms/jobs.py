"""Background jobs of the registry: a platform import (with progress) for big files and the CLI."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kechuang.core.jobs import JobContext, job_handler
from kechuang.core.roles import SYSTEM


@job_handler("platforms.import", title=_("导入平台"))
def import_job(job: JobContext, *, path: str, commit: bool = False) -> dict:
    """Check (and with `commit`, import) the file at `path` for the job's user; the report is the result."""
    from .importer import HEADINGS, platform_import

    data = Path(path).read_bytes()
    job.progress(5, _("读取文件"))
    report = platform_import(
        actor=job.user or SYSTEM,
        data=data,
        filename=path,
        dry_run=not commit,
        progress=lambda done, total: job.progress(5 + 95 * done // max(total, 1), f"{done}/{total}"),
    )
    job.progress(100, _("完成"))
    # each refusal kept as words, its column by its heading: read in the reader's language, not the worker's
    return report.as_dict(HEADINGS)
