"""Reads of programmes as data, and the answers programmes gives to its own stage rules."""

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from . import fieldkinds, rules, workflow
from .models import Call, CallStatus, FormDefinition, FormVersion, ProgrammeType, ProgrammeVersion, Submission


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
                "unit_kind_labels": [
                    str(unit_kind_labels().get(k, k)) for k in rules.get("unit_kinds") or []
                ],
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


# --- stage rules (rules.answers asks these for programmes' own eligibility rules) --------------------------------


def unit_kind_labels() -> dict:
    from kechuang.accounts.models import Unit

    return dict(Unit.Kind.choices)


def unit_verified_reasons(*, user, unit, call) -> list[str]:
    if unit is None:
        return [_("您尚未隶属任何单位，不能申报。")]
    if not unit.is_verified:
        return [_("申报单位“%(unit)s”的信息尚未经管理部门核实。") % {"unit": unit.name}]
    return []


def overdue_reasons(*, user, unit, call) -> list[str]:
    """The unit's awarded calls still running whose current stage closed before today (one query)."""
    if unit is None:
        return []
    late = (
        Call.objects.filter(
            status=CallStatus.RUNNING,
            awarded=True,
            stage_closes_on__lt=timezone.localdate(),
            submissions__submitted_by__unit=unit,
        )
        .exclude(pk=call.pk)
        .distinct()
        .order_by("stage_closes_on", "pk")
    )
    return [
        _("本单位的“%(call)s”逾期未完成“%(stage)s”（应于%(date)s前完成）。")
        % {
            "call": c.title,
            "stage": (c.stage or {}).get("name", ""),
            "date": workflow.date_words(c.stage_closes_on),
        }
        for c in late.select_related("version")
    ]


def projects_in_flight(user, *, call) -> int:
    """The other running calls in which this person has submitted (each is a project they lead), and the
    projects the apps above count for them (`rules.register_in_flight`: challenges' running contracts)."""
    own = (
        Call.objects.filter(status=CallStatus.RUNNING, submissions__submitted_by=user)
        .exclude(pk=call.pk)
        .distinct()
        .count()
    )
    return own + rules.in_flight_elsewhere(user=user, call=call)


def call_schedule(call) -> list[dict]:
    """The call's stages (as `stage_rows`) with their dates: done, current (its deadline) or planned."""
    stages = stage_rows(call.version.stages)
    keys = [s["key"] for s in stages]
    index = (
        keys.index(call.stage_key)
        if call.status == CallStatus.RUNNING and call.stage_key in keys
        else len(keys)
    )
    dates = workflow.schedule(call.version.stages, index, call.stage_opened_on, call.stage_closes_on)
    for i, (row, (opens, closes)) in enumerate(zip(stages, dates, strict=True)):
        row["state"] = "done" if i < index else "current" if i == index else "planned"
        row["opens_words"] = workflow.date_words(opens) if opens else ""
        row["closes_words"] = workflow.date_words(closes) if closes else ""
    return stages
