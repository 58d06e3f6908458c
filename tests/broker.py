"""Pointing Celery at another broker for one test, and back.

Celery has no public call to rebind a configured app. kombu keeps its connection and producer
pools in process-wide registries keyed by broker, and the app keeps a reference to each: the
registries are reset (kombu's public `pools.reset`) and the app's two references dropped, as Celery
itself does after a fork. Closing only the app's pool left a closed pool in the registry, so every
later send in the process failed with "Acquire on closed pool"; leaving the producer pool bound to
a dead broker made a later send retry that broker."""
from contextlib import contextmanager

from kombu import pools

from config.celery import app
from core import tasks


def _drop_pools():
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url, transport_options=None):
    """Celery reads its configuration through Django's settings: enter this before overriding
    CELERY_BROKER_URL, or the broker to come back to is already the overridden one."""
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = url
    if transport_options is not None:
        app.conf.broker_transport_options = transport_options
    _drop_pools()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        _drop_pools()
        tasks._broker_down_until = 0.0  # the next test starts with the broker believed up
