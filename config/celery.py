"""Celery app. Beat drives the SLA clocks; the broker is Redis in deployment and a
SQLite transport (no server) in the embedded default."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("complaints")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
