"""Background jobs of the documents app: building a project's archive (progress shown on the job page)."""

from django.utils.translation import gettext_lazy as _

from kechuang.challenges.models import Contract
from kechuang.core.jobs import JobContext, job_handler

from .archive import archive_build


@job_handler("documents.archive", title=_("生成项目档案"))
def build_archive(job: JobContext, *, contract: int) -> dict:
    project = Contract.objects.get(pk=contract)
    archive = archive_build(actor=job.user, contract=project, progress=job.progress)
    return {"files": archive.entries, "size": archive.size, "sha256": archive.sha256}


@job_handler("documents.opendata", title=_("生成开放数据包"))
def build_opendata(job: JobContext) -> dict:
    from kechuang.core.roles import SYSTEM

    from .opendata import opendata_build

    dump = opendata_build(actor=job.user or SYSTEM, progress=job.progress)
    return {"counts": dump.counts, "size": dump.size, "sha256": dump.sha256}
