"""The page flow every file import shares (units, platforms, integrity records): upload a file with "write
it" unticked for a dry run that lists every bad row with its line, then upload again ticked to write it.

core imports no upper app: the app passes its importer and its wording as callables."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, error_text


def created_updated(report) -> str:
    """The usual success message: how many rows the import created and updated."""
    return _("已导入：新增 %(c)d，更新 %(u)d。") % {"c": report.created, "u": report.updated}


def dry_run_import_page(
    request,
    *,
    form,
    run: Callable,
    template: str,
    done: Callable = created_updated,
    context: dict | None = None,
    done_url: str | None = None,
):
    """Answer an import page. `form` has a `file` and a `commit` field; `run(actor=, data=, filename=,
    dry_run=)` is the app's importer (its own audited service), returning a report with `committed`; a
    refused file (ApplicationError) is shown under the file field with why. When the file is written,
    `done(report)` is the success message (by default how many rows were created and updated) and `done_url`, if given, where to go next (else the page again,
    with the report). The page gets `form`, `report` and `context`."""
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run(
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                dry_run=not form.cleaned_data["commit"],
            )
        except ApplicationError as exc:
            form.add_error("file", error_text(exc))
        else:
            if report.committed:
                messages.success(request, done(report))
                if done_url:
                    return redirect(done_url)
    return render(request, template, {"form": form, "report": report, **(context or {})})
