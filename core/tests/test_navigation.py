"""The menu offers what a role may open, and each role starts the day on its own page."""
import pytest
from django.urls import reverse


@pytest.mark.parametrize(("username", "start"), [("agent", "complaints:intake"), ("lead", "complaints:dispatch_queue"),
                                                 ("station_a", "complaints:my_work"), ("viewer", "reports:dashboard")])
def test_each_role_starts_on_its_page(client_for, username, start):
    assert client_for(username).get(reverse("home")).url == reverse(start)


def test_the_lead_who_may_take_calls_has_intake_in_the_menu(client_for):
    menu = [item["url"] for item in client_for("lead").get(reverse("complaints:list")).context["nav"]]
    assert reverse("complaints:intake") in menu
    assert client_for("lead").get(reverse("complaints:intake")).status_code == 200
