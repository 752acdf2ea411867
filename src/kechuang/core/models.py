"""The shared base model, the append-only audit trail and the background Job record."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .bigram import BigramField
from .bigram import document as bigram_document
from .messages import Message, encode, render


class BaseModel(models.Model):
    """Every domain model records when it was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


def _now():
    # Looked up at each call, so a clock patched in tests and in gendata (django.utils.timezone.now) applies.
    return timezone.now()


class AuditTrailError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailError("The audit trail is append-only: events cannot be updated.")

    def delete(self):
        raise AuditTrailError("The audit trail is append-only: events cannot be deleted.")

    _raw_delete = delete

    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj.__class__)
        return self.filter(content_type=ct, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """Who did what to which object, when, with the state before and after and the reason.

    Append-only: the model, its queryset, the admin and the API refuse changes, and database triggers
    (see migration 0002) refuse UPDATE everywhere and DELETE on PostgreSQL.

    Tamper-evident: each event carries its place in the chain (`seq`), the hash of the event before it and
    its own hash, a SHA-256 over both (core.auditchain); `kechuang audit verify` finds a row changed,
    deleted or inserted behind the app's back. `at` is set when the event is made (not by the database), as
    it is part of the hash.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("时间"), default=_now, editable=False, db_index=True)
    # No database-level foreign keys: deleting a user or a content type must never touch the trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("操作人名称"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    # The object's name (`object_repr`) as bigram words (core.bigram), written with the event: the trail is
    # found by an object's name through its GIN index (PostgreSQL) instead of a scan of every event. Derived,
    # so outside the hash chain (auditchain.FIELDS): a changed index changes what a search finds, never what
    # the trail says; the search confirms each hit on `object_repr` itself. A default in the database too: a
    # row written behind the app (SQL) is still inserted, for `audit verify` to find.
    object_bigrams = BigramField(_("对象名称检索字对"), db_default="")
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The chain (core.auditchain). Null/empty only on a row written behind the app's back.
    seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(_("前一条的校验值"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("校验值"), max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx"),
            # The trail's keyset order (at, id) with the action as a third key (prefix-searchable on
            # PostgreSQL): the audit log filtered by an action tests each event in the index, not its row
            # (issue #19: 13,779 rows read for a page of "review" at national size, 34 → 1 ms).
            models.Index(
                fields=["at", "id", "action"],
                name="audit_at_id_action_idx",
                opclasses=["timestamptz_ops", "int8_ops", "varchar_pattern_ops"],
            ),
        ]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr or '-'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailError("The audit trail is append-only: events cannot be updated.")
        from django.db import transaction

        from .auditchain import chain_append

        self.index_name()

        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            if not self.hash:
                chain_append([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailError("The audit trail is append-only: events cannot be deleted.")

    def index_name(self) -> None:
        """Fill `object_bigrams` from `object_repr` (before the event is inserted)."""
        self.object_bigrams = bigram_document(self.object_repr)


class AuditChainHead(models.Model):
    """The last link of the audit chain: its row is locked while an event is appended (so two writers cannot
    fork the chain), and it tells `audit verify` where the chain ends (so deleting the newest events shows)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链末端")
        verbose_name_plural = _("审计链末端")
        default_permissions = ()

    def __str__(self):
        return f"{self.seq} {self.hash[:12]}"


# What a job that failed by an error in the code says to whoever reads it (the traceback goes to the log, and to
# staff on the job page); the job's reference is what an administrator looks for in the log.
UNEXPECTED_FAILURE = gettext_noop(
    "处理时出现意外错误，任务已停止；错误已记录，请联系管理员并告知任务编号 %(job)s。"
)


def unexpected_failure(job) -> dict:
    """The stored words (Job.error_message) of `job`'s unexpected failure."""
    return encode(Message(UNEXPECTED_FAILURE, job=str(job.pk)))


class Job(BaseModel):
    """A long operation run in the background, with progress a person can watch."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=100, db_index=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    # The title as msgid and parameters (core.messages), read in the reader's language; `title` keeps it in
    # Chinese (and is what a job recorded before this shows).
    title_message = models.JSONField(_("标题（消息）"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.CharField(_("当前步骤"), max_length=300, blank=True)
    # The step as msgid and parameters (core.messages), read in the reader's language; `message` keeps it in
    # Chinese, or as the handler gave it when it is data (a file's name, "3/10"), and is what an older job shows.
    step_message = models.JSONField(_("当前步骤（消息）"), default=dict, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # Why it failed as msgid and parameters (core.messages), read in the reader's language; `error` keeps it
    # in Chinese, with the traceback of an unexpected failure (what a job that failed before this shows).
    error_message = models.JSONField(_("错误（消息）"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # Which process runs it ("host:pid") and when it last showed life: how a lost worker is noticed.
    worker = models.CharField(_("执行进程"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_lte_100"),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "succeeded", "failed"]),
                name="job_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title_text or self.kind} ({self.get_state_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:job-detail", args=[self.pk])

    @property
    def title_text(self) -> str:
        """The title in the active language."""
        return render(self.title_message or None, self.title)

    @property
    def step_text(self) -> str:
        """The current step in the active language."""
        return render(self.step_message or None, self.message)

    @property
    def failed_unexpectedly(self) -> bool:
        """Failed by an error in the code (not one the system explains): `error` holds its traceback, shown to
        staff only. A job that failed so before its words were kept is known by the traceback in `error`."""
        if self.error_message:
            return self.error_message.get("m") == UNEXPECTED_FAILURE
        return "Traceback (most recent call last)" in self.error

    @property
    def error_text(self) -> str:
        """Why it failed, in the active language: never a traceback (see `error_detail`)."""
        if self.failed_unexpectedly:
            return render(unexpected_failure(self))
        return render(self.error_message or None, self.error)

    @property
    def error_detail(self) -> str:
        """The traceback of an unexpected failure, for staff; empty for any other job."""
        return self.error if self.failed_unexpectedly else ""

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)


class Notification(models.Model):
    """An in-app message asking someone to act (the e-mail copy is sent by `notify`)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=60, blank=True, db_index=True)
    # The title and body as msgid and parameters (core.messages), rendered in the reader's language; the text
    # columns keep them in Chinese (and are what a notice sent before this shows).
    message = models.JSONField(_("消息"), default=dict, blank=True)
    # The same title and body as an English reader reads them, rendered when the notice is made, so that the
    # list finds a notice by the words either reader sees (core.notifications.notifications_of); "" where the
    # notice has none of the system's words (a plain text is shown as it is, and found in `title`/`body`).
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True, default="", db_default="")
    body_en = models.TextField(_("英文内容"), blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title_text

    @property
    def title_text(self) -> str:
        """The title in the active language."""
        return render((self.message or {}).get("title"), self.title)

    @property
    def body_text(self) -> str:
        """The body in the active language."""
        return render((self.message or {}).get("body"), self.body)


class OutboundEmail(models.Model):
    """One e-mail copy of a notification, sent by a background job (`kechuang.send_email`) with retries;
    a failure is kept with its reason for staff (the 邮件发送 page), who can send it again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="emails",
    )
    address = models.EmailField(_("邮箱"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    kind = models.CharField(_("类别"), max_length=60, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件")
        verbose_name_plural = _("邮件")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.subject} → {self.address}"


class NoticeOptOut(models.Model):
    """A kind of notice (a group of `Notification.kind`s, core.notifications.NOTICE_GROUPS) a person does not
    want by e-mail. No row: they get it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_opt_outs"
    )
    group = models.CharField(_("通知类别"), max_length=40)

    class Meta:
        verbose_name = _("不接收的邮件通知")
        verbose_name_plural = _("不接收的邮件通知")
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="notice_opt_out_unique")]

    def __str__(self):
        return f"{self.user} · {self.group}"


class Counter(models.Model):
    """A row count kept by the writes that change it (core.counters): dashboards and lists read these rows
    instead of counting large tables on every request. `scope` splits one count by a key (a challenge's
    applications: the challenge's id); "" for a count over the whole table."""

    name = models.CharField(_("名称"), max_length=80)
    scope = models.CharField(_("范围"), max_length=40, blank=True, default="")
    value = models.BigIntegerField(_("数值"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("计数")
        verbose_name_plural = _("计数")
        constraints = [models.UniqueConstraint(fields=["name", "scope"], name="counter_name_scope_unique")]

    def __str__(self):
        return f"{self.name}[{self.scope}] = {self.value}"
