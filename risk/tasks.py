"""Periodic risk work driven by Celery beat."""
import logging

from celery import shared_task

from risk.interviews import interview_due
from risk.services import risk_sweep

log = logging.getLogger(__name__)


@shared_task(name="risk.tasks.risk_sweep_task", ignore_result=True)
def risk_sweep_task():
    """Every 10 minutes: rescore every open ticket (clock warnings and breaches, customers'
    histories and categories move without a ticket event). Safe to overlap (SKIP LOCKED, CAS)."""
    result = risk_sweep()
    log.info("risk sweep: %s", result)
    return result.counts()


@shared_task(name="risk.tasks.interview_list_task", ignore_result=True)
def interview_list_task():
    """Daily at 08:00: on the first working day of the month, last month's 约谈 list (once)."""
    produced = interview_due()
    if produced:
        log.info("约谈 list %s: %s units", produced.month, len(produced.rows))
