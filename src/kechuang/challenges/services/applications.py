"""Writes for applications (揭榜): drafting with team and milestones, attachments, submit/withdraw before the
deadline (eligibility checked automatically), and the formal check (形式审查)."""

import hashlib
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.models import Unit
from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.display import money
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.faults import fault_point
from kechuang.core.lists import listed
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role
from kechuang.core.services import optimistic_save
from kechuang.integrity.models import Restriction
from kechuang.programmes import filefields

from .. import files, permissions, programme, selectors
from ..models import (
    Application,
    ApplicationMember,
    ApplicationMilestone,
    ApplicationPartner,
    Attachment,
    Challenge,
)
from ..workflow import APPLICATION
from ._common import run
from .preapplications import invited, require_invited

APPLICATION_FIELDS = (
    "title",
    "plan",
    "keywords",
    "disciplines",
    "budget_requested",
    "budget_self",
    "avoid_names",
    "extra",
)
MSG_NOT_YOURS = gettext_lazy("您无权修改此揭榜申请。")  # lazy: a module constant, read per request


@transaction.atomic
def application_create(
    *,
    actor,
    challenge: Challenge,
    leader=None,
    milestones: Sequence[dict] | None = None,
    partners: Sequence[dict] | None = None,
    **fields,
) -> Application:
    """Open an application of the actor's unit to a published challenge (one per unit), with its proposed
    milestones and partner units (联合揭榜) when given, all in one transaction: a refused milestone or partner
    leaves no draft. Audited."""
    if not permissions.can_apply(actor, challenge):
        raise PermissionDenied(_("只有单位用户可以在发榜期间揭榜。"))
    if timezone.now() >= challenge.deadline:
        raise ApplicationError(_("揭榜截止时间已过。"), code="deadline_passed")
    if Application.objects.filter(challenge=challenge, unit_id=actor.unit_id).exists():
        raise ApplicationError(_("本单位已对该榜单提交过揭榜申请，请在原申请上修改。"), code="duplicate")
    # A list with a pre-application stage (预申报): only a unit staff invited applies formally.
    require_invited(challenge, actor.unit_id)
    leader = leader or actor
    app = Application(
        challenge=challenge,
        unit_id=actor.unit_id,
        leader=leader,
        created_by=actor,
        form_version=programme.stage_form(challenge.programme_version, "application"),
    )
    if "extra" in fields:
        fields["extra"] = _extra(app, fields["extra"])
    for k in APPLICATION_FIELDS:
        if k in fields:
            setattr(app, k, fields[k])
    app.full_clean()
    app.save()
    audit_record(
        actor=actor,
        action="application.create",
        obj=app,
        after=snapshot(app, ["challenge_id", "unit_id", "leader_id", "form_version_id", *APPLICATION_FIELDS]),
    )
    if partners:
        application_partners_set(actor=actor, application=app, partners=partners)
    if milestones:
        application_milestones_set(actor=actor, application=app, milestones=milestones)
    return app


def _extra(app: Application, values) -> dict:
    """The values of the staff-added fields of the application's form version, by key (others dropped). A
    file field's value is kept as stored: only application_field_file_set changes it."""
    files_ = programme.file_keys(app.form_version)
    keys = {f["key"] for f in programme.extra_fields(app.form_version)} - files_
    kept = {k: v for k, v in (app.extra or {}).items() if k in files_}
    return {k: v for k, v in (values or {}).items() if k in keys} | kept


def _check_edit(actor, app: Application):
    if not permissions.can_edit_application(actor, app):
        raise PermissionDenied(MSG_NOT_YOURS)


@transaction.atomic
def application_update(*, actor, application: Application, expected_version: int, **fields) -> Application:
    """Edit a draft/withdrawn/returned application; refused if someone saved it since `expected_version`."""
    _check_edit(actor, application)
    if "extra" in fields:
        fields["extra"] = _extra(application, fields["extra"])
    before = snapshot(application, APPLICATION_FIELDS)
    changed = [k for k in fields if k in APPLICATION_FIELDS]
    for k in changed:
        setattr(application, k, fields[k])
    if "leader" in fields:
        application.leader = fields["leader"]
        changed.append("leader_id")
    application.full_clean()
    optimistic_save(obj=application, expected_version=expected_version, update_fields=changed)
    b, a = diff(before, snapshot(application, APPLICATION_FIELDS))
    if "avoid_units" in fields:
        b["avoid_units"] = sorted(application.avoid_units.values_list("pk", flat=True))
        application.avoid_units.set(list(fields["avoid_units"]))
        a["avoid_units"] = sorted(application.avoid_units.values_list("pk", flat=True))
    audit_record(actor=actor, action="application.update", obj=application, before=b, after=a)
    return application


@transaction.atomic
def application_team_set(
    *, actor, application: Application, members: Sequence[dict]
) -> list[ApplicationMember]:
    """Replace the team (members besides the leader): [{name, title, duty, unit? (a Unit or unit_id), user?}].
    A member belongs to the lead unit (no unit, or the applicant's) or to one of the application's partner
    units; any other unit is refused. Audited."""
    _check_edit(actor, application)
    before = [m.name for m in application.members.all()]
    application.members.all().delete()
    allowed = {application.unit_id} | set(application.partners.values_list("unit_id", flat=True))
    created = []
    for data in members:
        if not str(data.get("name", "")).strip():
            raise ApplicationError(_("团队成员须填写姓名。"), code="member_name")
        unit_id = _unit_id(data.get("unit", data.get("unit_id")))
        if is_leader_row(application.leader, data, unit_id, application.unit_id):
            msg = leader_in_team_message(application.leader)
            raise ApplicationError(msg, code="member_is_leader", fields={"team_text": msg})
        if unit_id is not None and unit_id not in allowed:
            raise ApplicationError(
                _("团队成员“%(name)s”的所属单位须是本申请的牵头单位或合作单位。") % {"name": data["name"]},
                code="member_unit",
            )
        m = ApplicationMember(
            application=application,
            name=str(data["name"]).strip(),
            title=data.get("title", ""),
            duty=data.get("duty", ""),
            # The lead unit is kept as no unit (as before joint applications): "the applicant's unit".
            unit_id=None if unit_id == application.unit_id else unit_id,
            user=data.get("user"),
        )
        m.full_clean(exclude=["application"])
        m.save()
        created.append(m)
    audit_record(
        actor=actor,
        action="application.team_set",
        obj=application,
        before={"members": before},
        after={"members": [m.name for m in created]},
    )
    return created


def _name_key(name: str) -> str:
    return "".join(str(name or "").split()).casefold()


def is_leader_row(leader, data: dict, unit_id, lead_unit_id) -> bool:
    """Whether a team row is the application's leader (挂帅人), who is listed first already: the same
    account, or the leader's own name in the lead unit (a namesake of a partner unit is another person)."""
    if leader is None:
        return False
    user = data.get("user")
    if user is not None and getattr(user, "pk", user) == leader.pk:
        return True
    if unit_id not in (None, lead_unit_id) or not leader.has_name:
        return False
    return _name_key(data.get("name", "")) == _name_key(leader.public_name)


def leader_in_team_message(leader) -> str:
    return _("“%(name)s”是本申请的挂帅人，已列在团队首位，不必再作为团队成员填写。") % {"name": leader}


def _unit_id(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, Unit):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("所属单位无效。"), code="member_unit")


PARTNER_ROLES = dict(ApplicationPartner.Role.choices)


def _partner_words(p: ApplicationPartner) -> str:
    """A partner as the audit trail shows it: 单位（角色，承担经费）."""
    return f"{p.unit}（{p.get_role_display()}，{money(p.budget)}）"


@transaction.atomic
def application_partners_set(
    *, actor, application: Application, partners: Sequence[dict], members: Sequence[dict] | None = None
) -> list[ApplicationPartner]:
    """Replace the partner units of a joint application (联合揭榜): [{unit (a Unit or its id), role, duty?,
    budget?}] in their order. The applicant unit stays the lead and cannot be its own partner; a unit is a
    partner once; it must be an active registered unit. With `members`, the team is replaced in the same
    transaction (so a row of the form may name a partner added with it); without, a partner that team
    members still belong to cannot be removed. Audited."""
    _check_edit(actor, application)
    rows = []
    seen = set()
    for i, data in enumerate(partners, start=1):
        unit_id = _unit_id(data.get("unit", data.get("unit_id")))
        if unit_id is None:
            raise ApplicationError(_("第 %(n)d 个合作单位未选择单位。") % {"n": i}, code="partner_unit")
        unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
        if unit is None:
            raise ApplicationError(
                _("第 %(n)d 个合作单位不是有效的注册单位。") % {"n": i}, code="partner_unit"
            )
        if unit_id == application.unit_id:
            raise ApplicationError(
                _("“%(unit)s”是本申请的牵头单位，不能同时作为合作单位。") % {"unit": unit},
                code="partner_is_lead",
            )
        if unit_id in seen:
            raise ApplicationError(
                _("合作单位“%(unit)s”重复填写。") % {"unit": unit}, code="partner_duplicate"
            )
        seen.add(unit_id)
        role = data.get("role") or ApplicationPartner.Role.PARTICIPANT
        if role not in PARTNER_ROLES:
            raise ApplicationError(_("合作单位“%(unit)s”的角色无效。") % {"unit": unit}, code="partner_role")
        rows.append(
            ApplicationPartner(
                application=application,
                unit=unit,
                role=role,
                seq=i,
                duty=str(data.get("duty") or "").strip(),
                budget=_decimal(data.get("budget") or 0, _("承担经费")),
            )
        )
    before = [_partner_words(p) for p in application.partners.select_related("unit")]
    if members is None:
        orphans = [m.name for m in application.members.all() if m.unit_id and m.unit_id not in seen]
        if orphans:
            raise ApplicationError(
                _("团队成员%(names)s属于要移除的合作单位，请先修改他们的所属单位。")
                % {"names": listed(f"“{n}”" for n in orphans)},
                code="partner_has_members",
            )
    application.partners.all().delete()
    for p in rows:
        p.full_clean(exclude=["application"])
        p.save()
    audit_record(
        actor=actor,
        action="application.partners_set",
        obj=application,
        before={"partners": before},
        after={"partners": [_partner_words(p) for p in rows]},
    )
    if members is not None:
        application_team_set(actor=actor, application=application, members=members)
    return rows


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(_("“%(f)s”必须是数字。") % {"f": field}, code="not_a_number")


@transaction.atomic
def application_milestones_set(
    *, actor, application: Application, milestones: Sequence[dict]
) -> list[ApplicationMilestone]:
    """Replace the proposed milestones: [{title, month, tranche, targets: {indicator name: value}}]."""
    _check_edit(actor, application)
    before = [(m.seq, m.title, m.month, str(m.tranche)) for m in application.milestones.all()]
    application.milestones.all().delete()
    created = []
    months = [int(m.get("month") or 0) for m in milestones]
    if months != sorted(months):
        raise ApplicationError(_("里程碑须按时间先后排列。"), code="milestone_order")
    for seq, data in enumerate(milestones, start=1):
        targets = {
            str(k): str(_decimal(v, k)) for k, v in (data.get("targets") or {}).items() if v not in (None, "")
        }
        m = ApplicationMilestone(
            application=application,
            seq=seq,
            title=str(data.get("title", "")).strip(),
            month=int(data.get("month") or 0),
            tranche=_decimal(data.get("tranche") or 0, _("拨付经费")),
            targets=targets,
        )
        m.full_clean(exclude=["application"])
        m.save()
        created.append(m)
        fault_point("challenges.application.milestone")  # crash tests only: a kill here leaves nothing
    audit_record(
        actor=actor,
        action="application.milestones_set",
        obj=application,
        before={"milestones": before},
        after={"milestones": [(m.seq, m.title, m.month, str(m.tranche)) for m in created]},
    )
    return created


@transaction.atomic
def attachment_add(
    *, actor, application: Application, data: bytes, filename: str, kind: str = "other"
) -> Attachment:
    """Attach a PDF/DOCX/XLSX checked by content and size (files.check_upload). Audited."""
    _check_edit(actor, application)
    content_type = files.check_upload(data, filename)
    att = Attachment(
        application=application,
        kind=kind,
        original_name=filename[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    att.file.save(filename, ContentFile(data), save=False)
    att.full_clean()
    att.save()
    audit_record(
        actor=actor,
        action="attachment.add",
        obj=application,
        after={
            "attachment": att.pk,
            "name": att.original_name,
            "type": content_type,
            "size": att.size,
            "sha256": att.sha256,
        },
    )
    return att


@transaction.atomic
def application_field_file_set(
    *, actor, application: Application, key: str, data: bytes | None, filename: str = ""
) -> Attachment | None:
    """Answer a staff-added file field of the application's form version (issue #18): the file is checked
    for the field's kinds and size (core.uploads) and stored as an attachment of the application (private
    storage, served by attachment_download with the application's permissions); `extra[key]` keeps its name
    and id. A file the field had before is removed; `data=None` clears the field. Audited."""
    _check_edit(actor, application)
    spec = next(
        (
            f
            for f in programme.extra_fields(application.form_version)
            if f["key"] == key and f["kind"] == "file"
        ),
        None,
    )
    if spec is None:
        raise ApplicationError(_("申报书中没有这一附件栏目。"), code="no_such_field")
    return filefields.store(
        actor=actor,
        owner=application,
        values_attr="extra",
        key=key,
        spec=spec,
        data=data,
        filename=filename,
        new_row=lambda **facts: Attachment(application=application, kind=Attachment.Kind.OTHER, **facts),
        rows=Attachment.objects.filter(application=application),
        id_name="attachment",
        action="application.field_file",
    )


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Remove an attachment from an editable application. Audited on the application. An attachment that
    answers a file field of the application form is changed on the form, not removed here."""
    app = attachment.application
    _check_edit(actor, app)
    label = programme.field_attachments(app).get(attachment.pk)
    if label is not None:
        raise ApplicationError(
            _("此附件是申报书“%(label)s”一栏的填报内容，请在修改申请时更换。") % {"label": label},
            code="field_attachment",
        )
    audit_record(
        actor=actor,
        action="attachment.remove",
        obj=app,
        before={"attachment": attachment.pk, "name": attachment.original_name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


def _submit_ctx(app: Application) -> dict:
    pre = programme.runs_pre_application(app.challenge)
    return {
        "deadline": app.challenge.deadline,
        "challenge_status": app.challenge.status,
        "milestone_count": app.milestones.count(),
        "eligibility": selectors.eligibility_problems(app),
        "pre_application": pre,
        "invited": pre and invited(app.challenge, app.unit_id),
    }


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit (or resubmit) before the deadline; the eligibility rules are checked and every failing one is
    given as the reason. Staff are told there is an application to check."""
    if not permissions.can_act_on_application(actor, application):
        raise PermissionDenied(MSG_NOT_YOURS)
    run(
        obj=application,
        machine=APPLICATION,
        action="submit",
        actor=actor,
        ctx=_submit_ctx(application),
        extra={"submitted_at": timezone.now()},
    )
    submitted_notify_staff(application)
    # The duplicate check indexes it and lists its pairs for the formal check (a job, after commit).
    from .dedup import dedup_submit

    dedup_submit(actor=actor, application=application)
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """Withdraw a submitted application before the deadline (it may be resubmitted before the deadline)."""
    if not permissions.can_act_on_application(actor, application):
        raise PermissionDenied(MSG_NOT_YOURS)
    run(
        obj=application,
        machine=APPLICATION,
        action="withdraw",
        actor=actor,
        reason=reason,
        ctx={"deadline": application.challenge.deadline},
    )
    return application


@transaction.atomic
def formal_check(
    *, actor, application: Application, passed: bool, reasons: str = "", final: bool = False
) -> Application:
    """The formal check (形式审查). Passing moves the application on; failing returns it to the applicant
    with the reasons (they may fix and resubmit before the deadline), or rejects it when `final`
    (after the deadline). The applicant is told either way."""
    if not permissions.can_manage_challenge(actor, application.challenge):
        raise PermissionDenied(_("只有科技厅工作人员可以进行形式审查。"))
    if passed:
        # A restriction may have begun after the application was submitted: it is not accepted then.
        barred = selectors.integrity_problems(application, Restriction.APPLY)
        if barred:
            raise ApplicationError(
                _("不能通过形式审查：%(reasons)s") % {"reasons": " ".join(barred)},
                code="integrity_restricted",
            )
        run(
            obj=application,
            machine=APPLICATION,
            action="pass_formal",
            actor=actor,
            reason=reasons,
            extra={"formal_note": reasons},
        )
        title = gettext_noop("形式审查通过：%(t)s")
    elif final:
        run(
            obj=application,
            machine=APPLICATION,
            action="reject",
            actor=actor,
            reason=reasons,
            extra={"formal_note": reasons},
        )
        title = gettext_noop("形式审查未通过：%(t)s")
    else:
        run(
            obj=application,
            machine=APPLICATION,
            action="return",
            actor=actor,
            reason=reasons,
            ctx={"deadline": application.challenge.deadline},
            extra={"formal_note": reasons},
        )
        title = gettext_noop("形式审查退回修改：%(t)s")
    notify(
        recipients=[application.leader, application.created_by],
        title=Message(title, t=application.title),
        body=reasons,
        url=application.get_absolute_url(),
        kind="application.formal_check",
    )
    return application


def submitted_notify_staff(application: Application) -> None:
    """Tell staff (in-app) that an application was submitted and waits for the formal check."""
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("新的揭榜申请：%(t)s"), t=application.title),
        url=application.get_absolute_url(),
        kind="application.submitted",
        email=False,
    )


__all__ = [
    "application_create",
    "application_update",
    "application_team_set",
    "application_partners_set",
    "application_milestones_set",
    "attachment_add",
    "attachment_remove",
    "application_submit",
    "application_withdraw",
    "formal_check",
]
