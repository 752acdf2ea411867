"""Applications (揭榜): a unit and its team leader take up a challenge with a plan and milestones."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import BaseModel
from kechuang.core.reviewable import Person, ReviewSubject
from kechuang.core.uploads import UnguessablePath

from ..workflow import ApplicationStatus, PreApplicationStatus
from .needs import MONEY

# The applicant unit of a joint application (联合揭榜) is its lead unit (牵头单位); partners: ApplicationPartner.
LEAD_ROLE_LABEL = _("牵头单位")


class Application(BaseModel):
    """One unit's application to one challenge; reviewed through kechuang.core.reviewable."""

    Status = ApplicationStatus
    # named by its unit: the audit trail shows its current name in the reader's language (core.display)
    AUDIT_NAMED_NOW = ("unit",)

    challenge = models.ForeignKey(
        "challenges.Challenge", verbose_name=_("榜单"), on_delete=models.PROTECT, related_name="applications"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("揭榜单位"), on_delete=models.PROTECT, related_name="applications"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("挂帅人"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    plan = models.TextField(_("技术方案"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("用逗号或顿号分隔。"))
    disciplines = models.CharField(_("学科代码"), max_length=100, blank=True, help_text=_("用逗号分隔。"))
    budget_requested = models.DecimalField(
        _("申请财政经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    budget_self = models.DecimalField(
        _("自筹经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    avoid_units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("申请回避单位"), blank=True, related_name="+"
    )
    avoid_names = models.CharField(
        _("申请回避专家"), max_length=300, blank=True, help_text=_("姓名，用逗号或顿号分隔。")
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    formal_note = models.TextField(_("形式审查意见"), blank=True)
    decision_note = models.TextField(_("立项意见"), blank=True)
    review_score = models.DecimalField(_("评审得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    review_rank = models.PositiveSmallIntegerField(_("评审排名"), null=True, blank=True)
    # The 答辩 (defence) round's score and rank of a shortlisted application (issue #18; Challenge.defence_round)
    defence_score = models.DecimalField(_("答辩得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    defence_rank = models.PositiveSmallIntegerField(_("答辩排名"), null=True, blank=True)
    # The application form version of the list's 揭榜挂帅 programme version (issue #18): kept for ever; the
    # fields staff added to it (not the code's own, challenges.programme.BUILTIN_KEYS) are stored in `extra`
    # by their stable keys.
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("申报书版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="challenge_applications",
    )
    extra = models.JSONField(_("其他填报内容"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("揭榜申请")
        verbose_name_plural = _("揭榜申请")
        ordering = ["challenge", "-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.UniqueConstraint(fields=["challenge", "unit"], name="application_one_per_unit"),
        ]

    def __str__(self):
        # （…） on Chinese pages, ( … ) on English ones: the unit is named in the reader's language (ADR 0018)
        if not self.unit_id:
            return self.title
        return gettext("%(title)s（%(unit)s）") % {"title": self.title, "unit": self.unit}

    def get_absolute_url(self):
        return reverse("challenges:application-detail", args=[self.pk])

    @staticmethod
    def split_words(text: str) -> tuple[str, ...]:
        import re

        return tuple(w.strip() for w in re.split(r"[,，、;；\s]+", text or "") if w.strip())

    def review_subject(self) -> ReviewSubject:
        """What the review app needs to assign experts and find conflicts (see core.reviewable)."""
        people = [Person(name=str(self.leader), user_id=self.leader_id, unit_id=self.unit_id, role="leader")]
        for m in self.members.all():
            people.append(
                Person(name=m.name, user_id=m.user_id, unit_id=m.unit_id or self.unit_id, role="member")
            )
        # A joint application's partner units count as applicant units: same-unit, past-unit and declared
        # conflicts see them as they see the lead unit.
        unit_ids = (
            {self.unit_id}
            | {p.unit_id for p in self.partners.all()}
            | {m.unit_id for m in self.members.all() if m.unit_id}
        )
        return ReviewSubject(
            title=self.title,
            text="\n".join(x for x in (self.challenge.title, self.plan) if x),
            keywords=self.split_words(self.keywords),
            disciplines=self.split_words(self.disciplines),
            unit_ids=tuple(sorted(unit_ids)),
            people=tuple(people),
            excluded_unit_ids=tuple(sorted(self.avoid_units.values_list("pk", flat=True))),
            excluded_names=self.split_words(self.avoid_names),
            city=self.unit.city if self.unit_id else "",
            extra={"challenge": self.challenge.code, "application": self.pk},
        )

    def units_with_roles(self) -> list[tuple[object, str]]:
        """The application's units as (unit, role label): the lead (the applicant unit) first, then the
        partners in their order. A team member belongs to one of them."""
        lead = [(self.unit, LEAD_ROLE_LABEL)] if self.unit_id else []
        return lead + [(p.unit, p.get_role_display()) for p in self.partners.all()]

    def review_documents(self) -> list[tuple[str, str]]:
        """The files an assigned expert reads beside the text (label, download URL): the technical plan, the
        budget and the other attachments of the application. One query; the review page lists them."""
        return [
            (
                f"{a.get_kind_display()} · {a.original_name}",
                reverse("challenges:attachment-download", args=[a.pk]),
            )
            for a in self.attachments.order_by("kind", "pk")
        ]


class ApplicationMember(BaseModel):
    """A member of an application's team (the leader is on the application itself)."""

    application = models.ForeignKey(
        Application, verbose_name=_("揭榜申请"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("职称"), max_length=60, blank=True)
    duty = models.CharField(_("分工"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["application", "id"]

    def __str__(self):
        return self.name


class ApplicationMilestone(BaseModel):
    """A proposed milestone: when (months from start), what is delivered, the targets and the tranche."""

    application = models.ForeignKey(
        Application, verbose_name=_("揭榜申请"), on_delete=models.CASCADE, related_name="milestones"
    )
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("阶段目标"), max_length=200)
    month = models.PositiveSmallIntegerField(_("完成时间（第几个月）"), validators=[MinValueValidator(1)])
    tranche = models.DecimalField(
        _("拨付经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    targets = models.JSONField(_("指标阶段目标"), default=dict, blank=True, help_text=_("指标名称 → 目标值"))

    class Meta:
        verbose_name = _("申请里程碑")
        verbose_name_plural = _("申请里程碑")
        ordering = ["application", "seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="application_milestone_seq_unique")
        ]

    def __str__(self):
        return f"M{self.seq} {self.title}"


class Attachment(BaseModel):
    """A file attached to an application; its type is sniffed from its content, not its name."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("技术方案书")
        BUDGET = "budget", _("经费预算表")
        PROOF = "proof", _("证明材料")
        OTHER = "other", _("其他")

    application = models.ForeignKey(
        Application, verbose_name=_("揭榜申请"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("文件"), upload_to=UnguessablePath("challenges/attachments"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["application", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["plan", "budget", "proof", "other"]),
                name="attachment_kind_valid",
            )
        ]

    def __str__(self):
        return self.original_name


class ApplicationPartner(BaseModel):
    """A partner unit of a joint application (联合揭榜): the unit, its role, its order, its share of the work
    and of the budget. The application's own unit is the lead (牵头单位) and is never listed here."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("参与单位")
        DEMONSTRATION = "demonstration", _("应用示范单位")
        SUPPORT = "support", _("协作单位")

    application = models.ForeignKey(
        Application, verbose_name=_("揭榜申请"), on_delete=models.CASCADE, related_name="partners"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("合作单位"), on_delete=models.PROTECT, related_name="partner_in"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    seq = models.PositiveSmallIntegerField(_("排序"), default=1)
    duty = models.CharField(_("承担任务"), max_length=200, blank=True)
    budget = models.DecimalField(_("承担经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        ordering = ["application", "seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "unit"], name="application_partner_unit_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=["participant", "demonstration", "support"]),
                name="application_partner_role_valid",
            ),
        ]

    def __str__(self):
        # （…） on Chinese pages, ( … ) on English ones, the unit in the reader's language (as Application's)
        if not self.unit_id:
            return self.get_role_display()
        return gettext("%(unit)s（%(role)s）") % {"unit": self.unit, "role": self.get_role_display()}


class PreApplication(BaseModel):
    """A unit's pre-application (预申报) to a list whose programme version has a pre-application stage (issue
    #18): a short form of that version (its answers by key, with the form version they were given on), then
    staff invite the unit to the formal application or decline it with a reason the applicant sees. Only an
    invited unit submits the formal application (workflow.g_invited)."""

    Status = PreApplicationStatus
    # named by its list and unit: the audit trail shows its current name in the reader's language
    AUDIT_NAMED_NOW = ("challenge", "unit")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("榜单"),
        on_delete=models.PROTECT,
        related_name="pre_applications",
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+"
    )
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("预申报表版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="challenge_pre_applications",
    )
    values = models.JSONField(_("填报内容"), default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=PreApplicationStatus.choices,
        default=PreApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decision_note = models.TextField(_("遴选意见"), blank=True)
    decided_at = models.DateTimeField(_("遴选时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("预申报")
        verbose_name_plural = _("预申报")
        ordering = ["challenge", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PreApplicationStatus.values),
                name="pre_application_status_valid",
            ),
            models.UniqueConstraint(fields=["challenge", "unit"], name="pre_application_one_per_unit"),
        ]

    def __str__(self):
        return f"{self.challenge.code} · {self.unit}" if self.unit_id else str(self.challenge_id)

    def get_absolute_url(self):
        return reverse("challenges:pre-apply", args=[self.challenge_id])
