"""The application's error types. Services raise these; the API's exception handler and the
web views turn them into a structured JSON error or a Chinese message."""


class ApplicationError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(ApplicationError):
    code = "invalid"
    status = 400


class PermissionDenied(ApplicationError):
    code = "forbidden"
    status = 403


class NotFound(ApplicationError):
    code = "not_found"
    status = 404


class Conflict(ApplicationError):
    """A transition not allowed from the current state, or a stale update."""

    code = "conflict"
    status = 409
