"""API token authentication: django-rest-knox, answering 401 (never a 500) for a header that is
not a token at all. The user's unit comes with the token (ApiToken's manager)."""
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from accounts.models import ApiToken


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        """One query per API call. Knox's own version also reads all the user's other tokens on
        every call to delete the expired ones; here that happens when a token is issued
        (accounts.tokens.issue) and an expired token is refused (and deleted) on use."""
        # Knox decodes the header as UTF-8 and hashes whatever it gets; a token is 64 hex digits.
        if len(token) > 128 or not token.isascii():
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = token.decode()
        digest = hash_token(token)
        for row in ApiToken.objects.filter(token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, row.digest):
                continue
            if row.expiry is not None and row.expiry < timezone.now():
                row.delete()
                break
            return self.validate_user(row)
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of this class (drf-spectacular's knox one, which does not
    match subclasses), under the name the schema always had."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"
