"""Periodic risk work driven by Celery beat."""
import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="risk.tasks.risk_sweep_task", ignore_result=True)
def risk_sweep_task():
    """Every 10 minutes: rescore every open ticket (clock warnings and breaches, customers'
    histories and categories move without a ticket event). Safe to overlap (SKIP LOCKED, CAS)."""
    from risk.services import risk_sweep

    result = risk_sweep()
    log.info("risk sweep: %s", result)
    return result.counts()
