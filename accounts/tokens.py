"""API tokens (django-rest-knox): issue with the user's lifetime, list, revoke.

A person's token lives `api_token_days` (业务参数, default 30); an integration account's
(User.is_integration, set by an administrator) does not expire. A user's tokens are revoked when
the password is set by any path and when the account is deactivated; an account that stops being
an integration account loses its unlimited tokens. The table keeps only a digest of each token."""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from knox.settings import knox_settings

from accounts.models import ApiToken
from core.config import setting


def lifetime(user) -> timedelta | None:
    return None if user.is_integration else timedelta(days=setting("api_token_days"))


def issue(user):
    """(token row, token string) — the string is shown once and never stored. Expired tokens are
    purged, and beyond REST_KNOX TOKEN_LIMIT_PER_USER the oldest live ones give way."""
    ApiToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    keep = knox_settings.TOKEN_LIMIT_PER_USER - 1
    old = list(ApiToken.objects.filter(user=user).order_by("-created").values_list("pk", flat=True)[keep:])
    if old:
        ApiToken.objects.filter(pk__in=old).delete()
    return ApiToken.objects.create(user=user, expiry=lifetime(user))


def live_tokens(user=None):
    """Tokens that still work (all users' when `user` is None), newest first."""
    tokens = ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
    return tokens if user is None else tokens.filter(user=user)


def revoke(user, pk) -> bool:
    """Revoke one of `user`'s own tokens; False when it is not theirs (or gone)."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def revoke_after_save(user, *, password_set: bool, was_integration) -> None:
    """Called by User.save: the rules above that end a user's tokens."""
    if password_set or not user.is_active:
        ApiToken.objects.filter(user=user).delete()
    elif was_integration and not user.is_integration:
        ApiToken.objects.filter(user=user, expiry__isnull=True).delete()
