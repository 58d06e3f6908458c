"""API token authentication: django-rest-knox, answering 401 (never a 500) for a header that is
not a token at all. The user's unit comes with the token (ApiToken's manager)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        # Knox decodes the header as UTF-8 and hashes whatever it gets; a token is 64 hex digits.
        if len(token) > 128 or not token.isascii():
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of this class (drf-spectacular's knox one, which does not
    match subclasses), under the name the schema always had."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"
