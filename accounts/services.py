"""Changes to accounts that other code must not write by hand."""
from django.db import transaction


@transaction.atomic
def user_deactivate(*, user, actor) -> bool:
    """Stop `user` signing in or using the API (their tokens are revoked by accounts.signals on save);
    recorded in the user's history as `actor`'s change. False if already inactive or `actor` themselves."""
    if user.pk == actor.pk or not user.is_active:
        return False
    user.is_active = False
    user._history_user = actor
    user.save(update_fields=["is_active"])
    return True
