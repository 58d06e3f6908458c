"""Business settings in the admin: the defaults from core.config.DEFAULTS are shown, an override
must have the default's type, and takes effect at once in this process."""
import pytest
from django.urls import reverse

from core import config
from core.models import Setting

pytestmark = pytest.mark.django_db


def test_changelist_lists_every_default(admin_web):
    html = admin_web.get(reverse("admin:core_setting_changelist")).content.decode()
    for key, (_default, description) in config.DEFAULTS.items():
        assert key in html and description in html, key


def test_override_takes_effect_and_delete_restores_default(admin_web):
    assert config.setting("repeat_window_days") == 30
    response = admin_web.post(reverse("admin:core_setting_add"),
                                  {"key": "repeat_window_days", "value": "45", "note": "试行"})
    assert response.status_code == 302
    assert config.setting("repeat_window_days") == 45
    row = Setting.objects.get(key="repeat_window_days")
    admin_web.post(reverse("admin:core_setting_delete", args=[row.pk]), {"post": "yes"})
    assert config.setting("repeat_window_days") == 30


@pytest.mark.parametrize("key,value", [
    ("repeat_window_days", '"thirty"'),
    ("repeat_window_days", "true"),
    ("repeat_window_days", "-1"),
    ("archive_after_unreachable", "1"),
    ("reconnection_night_after", "22"),
    ("repeat_window_days", "not json"),
])
def test_wrong_type_is_refused(admin_web, key, value):
    response = admin_web.post(reverse("admin:core_setting_add"), {"key": key, "value": value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Setting.objects.exists()


def test_unknown_key_is_refused(admin_web):
    response = admin_web.post(reverse("admin:core_setting_add"), {"key": "made_up", "value": "1"})
    assert response.status_code == 200 and not Setting.objects.exists()


def test_a_setting_saved_anywhere_applies_at_once():
    from core.config import setting

    assert setting("repeat_window_days") == 30
    row = Setting.objects.create(key="repeat_window_days", value=45)  # e.g. from a shell or a migration
    assert setting("repeat_window_days") == 45
    row.delete()
    assert setting("repeat_window_days") == 30
