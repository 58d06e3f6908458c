"""In-app notifications and the outbox that delivers e-mail/SMS after commit."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from notifications.kinds import needs_action


class Notification(ChoiceLabels, models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    ticket = models.ForeignKey("complaints.Ticket", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    kind = models.CharField(max_length=32)
    message = models.CharField(_("内容"), max_length=300)
    # The msgid and parameters of a `services.Notice`: `text` renders them in the reader's language.
    template = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A notice that repeats for the same ticket (notifications.kinds.GROUPED_KINDS) keeps one row per
    # reader: `group_key` names it, `count` says how many times it came, `last_at` when it last did.
    group_key = models.CharField(max_length=64, null=True, blank=True)
    count = models.PositiveIntegerField(_("次数"), default=1)
    last_at = models.DateTimeField(_("最近时间"), default=timezone.now)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-last_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "group_key"], name="notification_group")]
        indexes = [models.Index(fields=["user", "-last_at"], name="notification_user_last"),
                   models.Index(fields=["user"], name="notification_unread",
                                condition=Q(read_at__isnull=True))]

    @property
    def needs_action(self) -> bool:
        return needs_action(self.kind)

    @property
    def text(self) -> str:
        """The notice in the active language; string parameters that are msgids (a clock's or an order's
        name) are translated too, the rest (numbers, dates, people's words) stay as they are."""
        if not self.template:
            return self.message
        try:
            return gettext(self.template) % {k: gettext(v) if isinstance(v, str) and v else v
                                             for k, v in self.params.items()}
        except (KeyError, TypeError, ValueError):  # a msgid whose placeholders changed since
            return self.message


class OutboxMessage(models.Model):
    """Written in the same transaction as the change; delivered by a task with compare-and-set,
    so a broker outage loses nothing and a redelivery sends nothing twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=200)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    @property
    def delivery_key(self) -> str:
        """Stable for the message's life, the same on every attempt: receivers de-duplicate on it."""
        return f"outbox-{self.pk}-{int(self.created_at.timestamp())}"

    @property
    def message_id(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
        return f"<{self.delivery_key}@{domain}>"

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [models.Index(fields=["created_at"], name="outbox_pending",
                                condition=Q(state__in=["pending", "sending"]))]
