"""The dashboard and the bulletin say when their (cached) figures were computed: "数据截至 HH:MM"."""
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reports.figures import PERIOD_FIGURES_SECONDS

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2026, 11, 16, 9, 41))  # local (Asia/Shanghai)


def _as_of(client, name: str, **headers) -> str:
    html = client.get(reverse(name), {"month": "2026-11"}, **headers).content.decode()
    start = html.index('id="as-of"')
    return html[html.index(">", start) + 1:html.index("</span>", start)].strip()


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:bulletin"])
def test_page_shows_when_its_cached_figures_were_computed(name, org, client_for):
    client = client_for("viewer")
    with time_machine.travel(T0, tick=False):
        assert _as_of(client, name) == "数据截至 09:41"
    # within the cache time the same figures are shown, and so the same time
    with time_machine.travel(T0 + timedelta(seconds=PERIOD_FIGURES_SECONDS - 60), tick=False):
        assert _as_of(client, name) == "数据截至 09:41"
    later = T0 + timedelta(seconds=PERIOD_FIGURES_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        assert _as_of(client, name) == f"数据截至 {timezone.localtime(later):%H:%M}"


def test_dashboard_as_of_is_the_oldest_cached_part(org, client_for):
    """The bulletin computed the headline first; the dashboard a minute later reuses it."""
    client = client_for("viewer")
    with time_machine.travel(T0, tick=False):
        client.get(reverse("reports:bulletin"), {"month": "2026-11"})
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert _as_of(client, "reports:dashboard") == "数据截至 09:41"


def test_as_of_in_english(org, client_for):
    client = client_for("viewer")
    with time_machine.travel(T0, tick=False):
        assert _as_of(client, "reports:dashboard", HTTP_ACCEPT_LANGUAGE="en") == "As of 09:41"
