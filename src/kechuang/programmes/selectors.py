"""Reads of programmes as data."""

from django.db.models import Count, Prefetch

from . import fieldkinds, workflow
from .models import Call, FormDefinition, FormVersion, ProgrammeType, ProgrammeVersion, Submission


def form_list():
    return FormDefinition.objects.annotate(n_versions=Count("versions", distinct=True)).order_by("name", "pk")


def programme_list():
    return ProgrammeType.objects.annotate(n_versions=Count("versions", distinct=True)).order_by("name")


def form_versions(definition):
    return definition.versions.annotate(n_submissions=Count("submissions")).order_by("-number")


def programme_detail(pk):
    return ProgrammeType.objects.prefetch_related(
        Prefetch(
            "versions", queryset=ProgrammeVersion.objects.annotate(n_calls=Count("calls")).order_by("-number")
        )
    ).get(pk=pk)


def previous(version):
    model = type(version)
    parent = (
        {"definition_id": version.definition_id}
        if model is FormVersion
        else {"programme_id": version.programme_id}
    )
    return model.objects.filter(number__lt=version.number, **parent).order_by("-number").first()


def stage_rows(stages: list[dict]) -> list[dict]:
    """Stages as people read them: kind, form and rules named."""
    forms = {
        f.pk: f
        for f in FormVersion.objects.filter(
            pk__in=[s.get("form") for s in stages if s.get("form")]
        ).select_related("definition")
    }
    from kechuang.core.roles import Role

    roles = dict(Role.choices)
    out = []
    for s in stages:
        rules = s.get("rules") or {}
        out.append(
            {
                **s,
                "kind_label": workflow.kind_label(s.get("kind", "")),
                "role_label": roles.get(s.get("role"), ""),
                "form_obj": forms.get(s.get("form")),
                "eligibility_labels": [
                    str(workflow.ELIGIBILITY.get(e, e)) for e in rules.get("eligibility") or []
                ],
                "max_concurrent": rules.get("max_concurrent"),
                "attachments": rules.get("attachments") or [],
                "requires_publicity": workflow.requires_publicity(s) if s.get("kind") == "decision" else None,
            }
        )
    return out


def field_rows(fields: list[dict]) -> list[dict]:
    labels = {f["key"]: f.get("label", "") for f in fields}
    return [
        {
            **f,
            "kind_label": fieldkinds.kind_label(f.get("kind", "")),
            "condition": (
                {"field": labels.get(f["show_if"]["field"], ""), "equals": f["show_if"].get("equals")}
                if f.get("show_if")
                else None
            ),
        }
        for f in fields
    ]


def submissions_of(definition):
    return (
        Submission.objects.filter(version__definition=definition)
        .select_related("version", "submitted_by", "call")
        .order_by("-created_at", "-pk")
    )


def submission_rows(submission) -> list[dict]:
    """A submission shown with its own version's fields, for ever."""
    out = []
    for spec in submission.version.fields:
        value = submission.data.get(spec["key"])
        row = {"label": spec.get("label", ""), "kind": spec["kind"], "text": fieldkinds.display(spec, value)}
        if fieldkinds.KINDS.get(spec["kind"]) and fieldkinds.KINDS[spec["kind"]].rows:
            row["headers"], row["rows"] = fieldkinds.display_rows(spec, value or [])
        if spec["kind"] == "file" and isinstance(value, dict):
            row["file_id"] = value.get("file")
        out.append(row)
    return out


def calls_of(programme):
    return (
        Call.objects.filter(version__programme=programme).select_related("version").order_by("-year", "title")
    )
