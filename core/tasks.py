import logging
import time

from celery import shared_task
from django.utils import timezone

from core.models import Heartbeat

log = logging.getLogger(__name__)

# After a failed send, skip the broker for a while: a user's action must not wait on a dead
# broker again and again. Nothing is lost — beat re-runs the periodic pick-ups.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task without letting a broker outage break the user's action: work that must not
    be lost is in the database already (outbox, clocks, export jobs) and beat picks it up later."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
        return True
    except Exception as exc:  # broker down or unreachable
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("broker unavailable, %s left for the next beat run: %s", task.name, exc)
        return False


@shared_task(name="core.tasks.heartbeat_task")
def heartbeat_task():
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": timezone.now()})
