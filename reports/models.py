"""A ticket-list export too large for one request: the filters it was asked with, its state and
progress, and the file once written (under MEDIA_ROOT/exports/, downloadable by its owner only)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class Export(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    format = models.CharField(_("格式"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    language = models.CharField(_("语言"), max_length=10, blank=True)  # the file's headers and labels
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.PENDING)
    progress = models.PositiveIntegerField(_("已写入行数"), default=0)
    row_count = models.PositiveIntegerField(_("总行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(state__in=["pending", "running", "done", "failed"]),
                                              name="export_state_valid")]
        indexes = [models.Index(fields=["state", "created_at"], name="export_state"),
                   models.Index(fields=["user", "-created_at"], name="export_user")]

    def __str__(self):
        return f"{self.user} {self.format} {self.state}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.progress * 100 // self.row_count) if self.row_count else 0

    @property
    def filename(self) -> str:
        return f"工单导出_{timezone.localtime(self.created_at):%Y%m%d%H%M}.{self.format}"  # the user's clock
