"""Programmes as data (issue #18): forms and programme types, each with numbered versions that cannot
change once published; the calls that run a programme version, and the submissions that keep the form
version they were made with. The shapes of the JSON fields are in docs/programmes.md."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import BaseModel
from kechuang.core.reviewable import Person, ReviewSubject
from kechuang.core.uploads import UnguessablePath
from kechuang.core.validators import validate_plausible_date

from . import names
from .statuses import AwardStatus, FormalStatus, InvitationStatus, ObjectionStatus, ShortlistStatus


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class FormPurpose(models.TextChoices):
    APPLICATION = "application", _("申报书")
    REVIEW = "review_form", _("评审表")
    YEARLY_REPORT = "yearly_report", _("年度报告")
    MID_TERM = "mid_term", _("中期检查表")
    ACCEPTANCE = "acceptance", _("验收表")
    PERFORMANCE = "performance", _("绩效评价表")
    OTHER = "other", _("其他")


class FormDefinition(BaseModel):
    name = models.CharField(_("表单名称"), max_length=200)
    name_en = models.CharField(_("表单名称（英文）"), max_length=200, blank=True)
    purpose = models.CharField(_("用途"), max_length=20, choices=FormPurpose.choices)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("表单")
        verbose_name_plural = _("表单")

    def __str__(self):
        return names.local(self, "name")

    def get_absolute_url(self):
        return reverse("programmes:form-detail", args=[self.pk])


class FormVersion(BaseModel):
    definition = models.ForeignKey(
        FormDefinition, verbose_name=_("表单"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    fields = models.JSONField(_("字段"), default=list, blank=True)
    # The next field key: keys are never reused within a form, across its versions.
    next_key = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["definition", "number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="form_version_unique")]
        verbose_name = _("表单版本")
        verbose_name_plural = _("表单版本")

    def __str__(self):
        return _("%(name)s 第%(n)s版") % {"name": names.local(self.definition, "name"), "n": self.number}

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def get_absolute_url(self):
        return reverse("programmes:form-version", args=[self.pk])


class ProgrammeType(BaseModel):
    name = models.CharField(_("计划类别名称"), max_length=200, unique=True)
    name_en = models.CharField(_("计划类别名称（英文）"), max_length=200, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("计划类别")
        verbose_name_plural = _("计划类别")

    def __str__(self):
        return names.local(self, "name")

    def get_absolute_url(self):
        return reverse("programmes:type-detail", args=[self.pk])


class ProgrammeVersion(BaseModel):
    programme = models.ForeignKey(
        ProgrammeType, verbose_name=_("计划类别"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    stages = models.JSONField(_("环节"), default=list, blank=True)
    next_key = models.PositiveIntegerField(default=1)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_version_unique")
        ]
        verbose_name = _("计划类别版本")
        verbose_name_plural = _("计划类别版本")

    def __str__(self):
        return _("%(name)s 第%(n)s版") % {"name": names.local(self.programme, "name"), "n": self.number}

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def get_absolute_url(self):
        return reverse("programmes:version", args=[self.pk])


class CallStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    FINISHED = "finished", _("已完成")


class Call(BaseModel):
    """A yearly call of a programme type: pinned to the version it opened with until an audited migration."""

    version = models.ForeignKey(
        ProgrammeVersion, verbose_name=_("计划类别版本"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("批次名称"), max_length=200)
    # Optional: shown on English pages; the Chinese title when empty (`local_title`).
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    year = models.PositiveIntegerField(_("年度"))
    stage_key = models.CharField(_("当前环节"), max_length=20)
    awarded = models.BooleanField(_("已作出立项决定"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=CallStatus.choices, default=CallStatus.RUNNING
    )
    # The current stage's dates: opened when the stage before closed; its last day from its duration, or
    # as staff extended it (audited). Null: no time limit. Later stages' dates follow (workflow.schedule).
    stage_opened_on = models.DateField(
        _("本环节开始日期"), null=True, blank=True, validators=[validate_plausible_date]
    )
    stage_closes_on = models.DateField(
        _("本环节截止日期"), null=True, blank=True, validators=[validate_plausible_date]
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")

    def __str__(self):
        return self.local_title

    @property
    def local_title(self) -> str:
        """The title in the reader's language: the English name on English pages when staff gave one."""
        return names.local(self, "title")

    def get_absolute_url(self):
        return reverse("programmes:call", args=[self.pk])

    @property
    def stage(self) -> dict | None:
        return next((s for s in self.version.stages if s["key"] == self.stage_key), None)


class Submission(BaseModel):
    """A filled form: its values by the fields' stable keys, with the version that took them (for ever)."""

    version = models.ForeignKey(
        FormVersion, verbose_name=_("表单版本"), on_delete=models.PROTECT, related_name="submissions"
    )
    call = models.ForeignKey(
        Call,
        verbose_name=_("申报批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    stage_key = models.CharField(_("环节"), max_length=20, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("内容"), default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("表单填报")
        verbose_name_plural = _("表单填报")

    def __str__(self):
        return _("%(form)s 填报 #%(pk)s") % {
            "form": names.local(self.version.definition, "name"),
            "pk": self.pk,
        }

    def get_absolute_url(self):
        return reverse("programmes:submission", args=[self.pk])

    @property
    def title(self) -> str:
        """The first short text the applicant gave (a project's name), else the form's name and number."""
        for spec in self.version.fields:
            value = self.data.get(spec["key"])
            if spec.get("kind") == "short_text" and isinstance(value, str) and value.strip():
                return value.strip()
        return str(self)

    def review_subject(self) -> ReviewSubject:
        """What an expert review of this submission reads (core.reviewable): its texts by their labels, the
        submitter and their unit, the team by name (for the review app's conflict-of-interest rules)."""
        texts, people = [], []
        user = self.submitted_by
        people.append(Person(name=str(user), user_id=user.pk, unit_id=user.unit_id, role="leader"))
        for spec in self.version.fields:
            value = self.data.get(spec["key"])
            if spec.get("kind") in ("short_text", "long_text") and isinstance(value, str) and value.strip():
                texts.append(f"{spec.get('label', '')}：{value.strip()}")
            elif spec.get("kind") == "team" and isinstance(value, list):
                people += [
                    Person(name=row["name"], role="member")
                    for row in value
                    if isinstance(row, dict) and row.get("name")
                ]
        return ReviewSubject(
            title=self.title,
            text="\n".join(texts),
            unit_ids=(user.unit_id,) if user.unit_id else (),
            people=tuple(people),
            extra={"submission": self.pk, "call": self.call_id},
        )


class SubmissionFile(BaseModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(max_length=20)
    file = models.FileField(upload_to=UnguessablePath("programmes"), max_length=300)
    name = models.CharField(_("文件名"), max_length=255)

    class Meta:
        ordering = ["submission", "key"]
        verbose_name = _("填报附件")
        verbose_name_plural = _("填报附件")

    def __str__(self):
        return self.name


# --- the per-application records of a generic call ---------------------------------------------------------------


def _call_field(related_name: str):
    return models.ForeignKey(
        Call, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name=related_name
    )


def _submission_field(label, related_name: str):
    return models.ForeignKey(
        Submission, verbose_name=label, on_delete=models.PROTECT, related_name=related_name
    )


def _status_field(label, status, default):
    return models.CharField(label, max_length=20, choices=status.choices, default=default)


def _decider_field(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def _record_constraints(prefix: str, status, *, unique: bool = True) -> list:
    """One record per applicant at a stage (`<prefix>_unique`, unless not `unique`), and a status of its
    machine (`<prefix>_status_valid`)."""
    out = [
        models.CheckConstraint(condition=models.Q(status__in=status.values), name=f"{prefix}_status_valid")
    ]
    if unique:
        out.insert(
            0, models.UniqueConstraint(fields=["call", "stage_key", "applicant"], name=f"{prefix}_unique")
        )
    return out


class ApplicationRecord(BaseModel):
    """What the per-application records of a generic call share (the formal check, the 预申报 invitation, the
    答辩 shortlist, the award decision, the 公示 objection): the call and the stage they belong to, the applicant
    and the application (`submission`) they are about, a `status` that only the record's own machine in
    workflow.py moves (through `services.record_decide`), and who decided, when and why, under each model's own
    field names (`DECIDED_BY`, `DECIDED_AT`, `REASON`). Abstract: each record keeps its own table and columns
    (`call`, `submission` and `status` differ in their labels and reverse names, so each declares its own)."""

    stage_key = models.CharField(_("环节"), max_length=20)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+"
    )

    Status: type[models.TextChoices]  # the record's statuses (statuses.py)
    TITLE = ""  # its name, from the application's title (`%(sub)s`)
    URL_NAME = ""  # its page, by the call's and the application's pk
    DECIDED_BY, DECIDED_AT, REASON = "decided_by", "decided_at", "reason"

    class Meta:
        abstract = True
        ordering = ["call", "pk"]

    def __str__(self):
        return self.TITLE % {"sub": self.submission.title}

    def get_absolute_url(self):
        return reverse(self.URL_NAME, args=[self.call_id, self.submission_id])

    @property
    def status_label(self):
        return self.Status(self.status).label


class FormalCheck(ApplicationRecord):
    """One formal application's outcome at a call's formal check stage (形式审查): pass, return for
    correction (补正: a reason and a deadline; the applicant's corrected submission brings it back to the
    check) or fail (a reason). The application is the applicant's latest submission at a 正式申报 stage of
    the call (`submission`, moved on by each correction). No row: not yet checked. The states and their
    transitions are `workflow.FORMAL_CHECK`."""

    call = _call_field("formal_checks")
    submission = _submission_field(_("申报材料"), "formal_checks")
    status = _status_field(_("形式审查结果"), FormalStatus, FormalStatus.PENDING)
    reason = models.TextField(_("审查意见"), blank=True)
    correct_by = models.DateField(
        _("补正截止日期"), null=True, blank=True, validators=[validate_plausible_date]
    )
    checked_by = _decider_field(_("审查人"))
    checked_at = models.DateTimeField(_("审查时间"), null=True, blank=True)

    Status = FormalStatus
    TITLE = _("%(sub)s 的形式审查")
    URL_NAME = "programmes:formal-check"
    DECIDED_BY, DECIDED_AT = "checked_by", "checked_at"

    class Meta(ApplicationRecord.Meta):
        constraints = _record_constraints("formal_check", FormalStatus)
        verbose_name = _("形式审查")
        verbose_name_plural = _("形式审查")


class AwardDecision(ApplicationRecord):
    """One application's outcome at a call's decision stage (立项决定): awarded (予以立项) or rejected (不予立项,
    with a reason). Only an application that went through every check before the stage is decided (with a
    formal check, one it passed); both outcomes are final. The call's decision (`Call.awarded`) is made
    once every such application is decided. The states are `workflow.AWARD_DECISION`."""

    call = _call_field("award_decisions")
    submission = _submission_field(_("申报材料"), "award_decisions")
    status = _status_field(_("立项决定"), AwardStatus, AwardStatus.PENDING)
    reason = models.TextField(_("决定理由"), blank=True)
    decided_by = _decider_field(_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    Status = AwardStatus
    TITLE = _("%(sub)s 的立项决定")
    URL_NAME = "programmes:award-decide"

    class Meta(ApplicationRecord.Meta):
        constraints = _record_constraints("award_decision", AwardStatus)
        verbose_name = _("立项决定")
        verbose_name_plural = _("立项决定")


class ShortlistDecision(ApplicationRecord):
    """One application's place at a 会评/答辩 stage that follows a 函评 (`workflow.shortlist_stage_keys`):
    chosen from the 函评 ranking to go on to the 答辩 (入围) or not (未入围, with a reason the applicant sees).
    Only shortlisted applications are reviewed at that stage and may be awarded after it; both outcomes are
    final. No row: 待确定. The states are `workflow.SHORTLIST`; `stage_key` is the 答辩 stage's key."""

    call = _call_field("shortlist_decisions")
    submission = _submission_field(_("申报材料"), "shortlist_decisions")
    status = _status_field(_("入围结果"), ShortlistStatus, ShortlistStatus.PENDING)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = _decider_field(_("确定人"))
    decided_at = models.DateTimeField(_("确定时间"), null=True, blank=True)

    Status = ShortlistStatus
    TITLE = _("%(sub)s 的入围结果")
    URL_NAME = "programmes:shortlist-decide"

    class Meta(ApplicationRecord.Meta):
        constraints = _record_constraints("shortlist_decision", ShortlistStatus)
        verbose_name = _("入围答辩")
        verbose_name_plural = _("入围答辩")


class InvitationDecision(ApplicationRecord):
    """One pre-application's outcome at a call's 预申报 stage (the invitation for the formal application):
    invited (邀请正式申报) or declined (不予邀请, with a reason the applicant sees). The pre-application is the
    applicant's latest submission at the stage (`submission`). No row: not yet decided. Both outcomes are
    final; only an invited applicant submits at the call's 正式申报 stage. The states are
    `workflow.INVITATION`."""

    call = _call_field("invitation_decisions")
    submission = _submission_field(_("预申报材料"), "invitation_decisions")
    status = _status_field(_("遴选结果"), InvitationStatus, InvitationStatus.PENDING)
    reason = models.TextField(_("遴选意见"), blank=True)
    decided_by = _decider_field(_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    Status = InvitationStatus
    TITLE = _("%(sub)s 的预申报遴选")
    URL_NAME = "programmes:invitation-decide"

    class Meta(ApplicationRecord.Meta):
        constraints = _record_constraints("invitation_decision", InvitationStatus)
        verbose_name = _("预申报遴选")
        verbose_name_plural = _("预申报遴选")


class Objection(ApplicationRecord):
    """An objection (异议) lodged during a call's publicity stage (公示) against an application on its list,
    under the objector's real name (实名异议: `lodged_by`, shown to staff only), with a reason and optionally a
    file (`evidence[OBJECTION_FILE_KEY]` = {"name", "file"}: an `ObjectionFile`, stored by
    `filefields.store`). Staff answer it once (`workflow.OBJECTION`): upheld (异议成立: the application's
    decision goes to 不予立项 through `workflow.AWARD_DECISION`) or dismissed (异议不成立), with a reason
    the objector sees. Several per applicant: its `reason` is the objector's, the staff's is `answer`."""

    call = _call_field("objections")
    submission = _submission_field(_("针对的申报"), "objections")
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("异议人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("异议理由"))
    evidence = models.JSONField(_("证明材料"), default=dict, blank=True)
    status = _status_field(_("处理结果"), ObjectionStatus, ObjectionStatus.OPEN)
    answer = models.TextField(_("处理意见"), blank=True)
    answered_by = _decider_field(_("处理人"))
    answered_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    Status = ObjectionStatus
    TITLE = _("关于%(sub)s的异议")
    DECIDED_BY, DECIDED_AT, REASON = "answered_by", "answered_at", "answer"

    class Meta(ApplicationRecord.Meta):
        constraints = _record_constraints("call_objection", ObjectionStatus, unique=False)
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def get_absolute_url(self):
        return reverse("programmes:objection", args=[self.call_id, self.pk])


OBJECTION_FILE_KEY = "file"


class ObjectionFile(BaseModel):
    """The file an objector gives with an objection (证明材料); stored under an unguessable path, downloaded only by staff and
    the objector (views.objection_file)."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to=UnguessablePath("programmes/objections"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["objection", "pk"]
        verbose_name = _("异议附件")
        verbose_name_plural = _("异议附件")

    def __str__(self):
        return self.original_name
