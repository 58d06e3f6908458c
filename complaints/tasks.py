"""Periodic case-loop work driven by Celery beat."""
import logging

from celery import shared_task

from complaints.services.investigation import investigation_overdue_sweep
from complaints.services.retention import personal_data_purge
from complaints.services.supervision import supervision_sweep
from complaints.services.sweep import sweep_clocks

log = logging.getLogger(__name__)


@shared_task(name="complaints.tasks.supervision_sweep_task", ignore_result=True)
def supervision_sweep_task():
    """Every minute: warn, escalate (三级督办) and breach supervision orders. Safe to run twice or
    concurrently — the sweep locks the rows it changes and skips rows another run holds."""
    result = supervision_sweep()
    if any(result.values()):
        log.info("supervision sweep: %s", result)
    return result


@shared_task(name="complaints.tasks.purge_personal_data_task", ignore_result=True)
def purge_personal_data_task():
    """Monthly: personal data of archived tickets past the retention period (idempotent)."""
    result = personal_data_purge()
    log.info("personal data purge: %s", result.message())
    return {"tickets": result.tickets, "history_rows": result.history_rows}


@shared_task(name="complaints.tasks.investigation_overdue_task", ignore_result=True)
def investigation_overdue_task():
    """Every 10 minutes: report once each investigation task whose due passed unanswered (idempotent)."""
    count = investigation_overdue_sweep()
    if count:
        log.info("investigation tasks overdue: %s", count)
    return count


@shared_task(name="complaints.tasks.sweep_clocks_task", ignore_result=True)
def sweep_clocks_task():
    """Every minute: warn and breach the clocks that crossed a threshold. Safe to run twice or
    concurrently — every change is a compare-and-set (see complaints.services.sweep)."""
    result = sweep_clocks().as_dict()
    if result["warned"] or result["breached"]:
        log.info("clock sweep: %s", result)
    return result
