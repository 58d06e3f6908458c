"""Choice labels looked up in a dictionary built once per language.

Django's get_FOO_display() rebuilds and hashes the whole choice list, translating every label, on
each call; a list page asks for five labels per row. Models mix in `ChoiceLabels` to answer from
`labels()` instead, and serializers use it through their label fields.
"""
from django.db.models import Field
from django.utils.translation import get_language

_built: dict = {}


def labels(source) -> dict:
    """{value: label} in the active language, for a TextChoices class or a model field with choices."""
    key = (source, get_language())
    found = _built.get(key)
    if found is None:
        pairs = source.flatchoices if isinstance(source, Field) else source.choices
        found = _built[key] = {value: str(label) for value, label in pairs}
    return found


class ChoiceLabels:
    """Model mixin: get_FOO_display() from `labels()` (same answer, without rebuilding the choices)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return labels(field).get(value, value)
