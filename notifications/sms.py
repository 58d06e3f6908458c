"""SMS gateway interface. settings.SMS_BACKEND names the class; the default only logs, so a
deployment without a gateway contract still runs (messages are recorded in the outbox)."""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class BaseSmsBackend:
    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        """Send one message; raise on failure (the outbox retries). Pass `idempotency_key` to the
        gateway where it supports one: it is the same on every attempt of one outbox message."""
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
        log.info("SMS to %s: %s", masked, text)


class LocmemSmsBackend(BaseSmsBackend):
    """For tests: keeps the messages in `LocmemSmsBackend.outbox`."""

    outbox: list[tuple[str, str]] = []
    keys: list[str] = []

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        LocmemSmsBackend.outbox.append((phone, text))
        LocmemSmsBackend.keys.append(idempotency_key)


def get_sms_backend() -> BaseSmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", "notifications.sms.LoggingSmsBackend"))()
