"""Periodic SLA work driven by Celery beat."""
import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="sla.tasks.sweep_clocks_task", ignore_result=True)
def sweep_clocks_task():
    """Every minute: warn and breach the clocks that crossed a threshold. Safe to run twice or
    concurrently — every change is a compare-and-set (see sla.sweep)."""
    from sla.sweep import sweep_clocks

    result = sweep_clocks().as_dict()
    if result["warned"] or result["breached"]:
        log.info("sla sweep: %s", result)
    return result
