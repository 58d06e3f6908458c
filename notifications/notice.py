"""Notification texts that every reader sees in their own language (no model import: the services
that notify import this at module level)."""
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


class Notice(str):
    """A notification text each reader sees in their own language. As a string it is the Chinese
    rendering (stored as `message`, sent by e-mail and SMS); `template` (a msgid, marked with
    gettext_noop so that makemessages finds it) and `params` are stored too, and
    `Notification.text` translates them when shown."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        with translation.override(settings.LANGUAGE_CODE):
            params = {k: str(v) if isinstance(v, Promise) else v for k, v in params.items()}
            self = super().__new__(cls, template % params)
        self.template, self.params = template, params
        return self
