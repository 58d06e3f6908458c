import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task without letting a broker outage break the user's action: work that must not
    be lost is in the database already (outbox, clocks) and beat picks it up later."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
        return True
    except Exception as exc:  # broker down or unreachable
        log.warning("broker unavailable, %s left for the next beat run: %s", task.name, exc)
        return False


@shared_task(name="core.tasks.heartbeat_task")
def heartbeat_task():
    from core.models import Heartbeat

    Heartbeat.objects.update_or_create(name="beat", defaults={"at": timezone.now()})
