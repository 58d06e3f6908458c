"""Large ticket exports. Each run claims its job by compare-and-set (pending → running), so a
duplicate delivery or an overlapping pick-up does nothing twice. A job whose message was lost
(broker down at enqueue) stays pending in the database; the beat's pick-up runs it."""
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from accounts.models import Unit
from core.tasks import enqueue

from .exports import export_path, tickets_csv_file, tickets_xlsx
from .figures import Period, period_figures, scope_of
from .models import Export
from .selectors import export_queryset

log = logging.getLogger(__name__)
PICKUP_AFTER = timedelta(seconds=30)   # leave a fresh job to its own message first
STALE_RUNNING = timedelta(minutes=30)  # a worker died mid-export: run it again


def run_export(export_id: int) -> bool:
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, state=Export.State.PENDING).update(
        state=Export.State.RUNNING, started_at=now, progress=0, error="")
    if not claimed:
        return False
    job = Export.objects.get(pk=export_id)
    try:
        user = get_user_model().objects.get(pk=job.user_id, is_active=True)
        qs = export_queryset(user, job.filters)  # re-scoped to what the user may see now
        total = qs.count()
        Export.objects.filter(pk=job.pk).update(row_count=total)

        def progress(n):
            Export.objects.filter(pk=job.pk, state=Export.State.RUNNING).update(progress=n)

        name, path = export_path(job.format)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if job.format == Export.Format.XLSX:
                _, rows = tickets_xlsx(user, qs, target=path, progress=progress)
            else:
                rows = tickets_csv_file(user, qs, path, progress=progress)
        Export.objects.filter(pk=job.pk, state=Export.State.RUNNING).update(
            state=Export.State.DONE, file=name, progress=rows, row_count=rows, finished_at=timezone.now())
    except Exception as exc:  # recorded on the job for the user; the worker keeps going
        log.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(state=Export.State.FAILED, error=str(exc)[:500],
                                                   finished_at=timezone.now())
    return True


@shared_task(name="reports.tasks.export_tickets_task")
def export_tickets_task(export_id: int):
    run_export(export_id)
    # The next message through also picks up jobs whose own message was lost while the broker was down.
    export_pickup_task(limit=3)


@shared_task(name="reports.tasks.export_pickup_task")
def export_pickup_task(limit: int = 5):
    """Beat: requeue exports whose worker died, and run jobs left pending (their message was lost)."""
    now = timezone.now()
    Export.objects.filter(state=Export.State.RUNNING, started_at__lt=now - STALE_RUNNING).update(
        state=Export.State.PENDING)
    ids = list(Export.objects.filter(state=Export.State.PENDING, created_at__lt=now - PICKUP_AFTER)
               .order_by("created_at").values_list("pk", flat=True)[:limit])
    for export_id in ids:
        run_export(export_id)
    return len(ids)


def export_start(*, user, format: str, filters: dict) -> Export:
    """Record the job, then send it; if the broker is down the job waits for the pick-up."""
    job = Export.objects.create(user=user, format=format, filters=filters, language=translation.get_language() or "")
    enqueue(export_tickets_task, job.pk)
    return job


@shared_task(name="reports.tasks.warm_dashboard_task")
def warm_dashboard_task():
    """Recompute the province's figures for this month before their cache expires, so the
    managers' dashboard never waits on a month of aggregates."""
    for root in Unit.objects.filter(parent__isnull=True):
        with translation.override(settings.LANGUAGE_CODE):
            period_figures(scope_of(root), Period.parse(None), refresh=True)
