"""The calibration report's measures on fixtures whose answer is known."""
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Mood, Status, Ticket
from risk.calibration import at_top, calibrate, lift, roc_auc


def test_a_perfectly_separating_factor_gives_auc_one():
    labels = [i % 3 == 0 for i in range(300)]
    assert roc_auc([1.0 if y else 0.0 for y in labels], labels) == 1.0
    assert roc_auc([0.0 if y else 1.0 for y in labels], labels) == 0.0


def test_a_random_factor_gives_about_one_half():
    rng = random.Random(7)
    labels = [rng.random() < 0.2 for _ in range(20000)]
    scores = [rng.random() for _ in labels]
    assert abs(roc_auc(scores, labels) - 0.5) < 0.03
    assert roc_auc([5.0] * len(labels), labels) == 0.5  # all tied: no information


def test_top_share_and_lift():
    labels = [True] * 10 + [False] * 90
    scores = list(range(100, 0, -1))  # the ten positives score highest
    top = at_top(scores, labels, 0.05)
    assert (top["k"], top["precision"], top["recall"]) == (5, 1.0, 0.5)
    assert lift([True] * 10 + [False] * 90, labels)["lift"] == pytest.approx(1.0 / 0.1)


@pytest.mark.django_db
def test_calibrate_on_hand_built_history(make_ticket, category):
    """Customers whose first complaint was agitated later went to 12398; calm ones did not."""
    start = timezone.now() - timedelta(days=200)
    for i in range(6):
        agitated = i % 2 == 0
        first = make_ticket(mood=Mood.AGITATED if agitated else Mood.CALM, customer_phone=f"1330000000{i}",
                            account_no=f"K{i}")
        Ticket.objects.filter(pk=first.pk).update(status=Status.ARCHIVED, received_at=start + timedelta(days=i))
        if agitated:
            later = make_ticket(channel="12398", regulator_ref=f"N{i}", customer_phone=f"1330000000{i}",
                                account_no=f"K{i}")
            Ticket.objects.filter(pk=later.pk).update(received_at=start + timedelta(days=i + 20))
    report = calibrate(start - timedelta(days=1), start + timedelta(days=10))
    assert (report["tickets"], report["positives"]) == (6, 3)
    assert report["auc"] == 1.0
    assert report["factors"]["mood_agitated"]["lift"] == pytest.approx(2.0)


@pytest.mark.django_db
def test_calibrate_counts_clocks_and_callbacks_as_of_the_first_days(make_ticket, users):
    """A clock breached or a callback unsatisfied within the first 3 days counts; later ones do not
    (the score is as of the first days); a warned clock counts as a warning only until it breaches."""
    from complaints.models import Callback
    from sla.models import Clock

    start = timezone.now() - timedelta(days=200)
    plan = {0: ("breach", 1), 1: ("breach", 5), 2: ("warn", 1), 3: ("unsatisfied", 2), 4: ("unsatisfied", 4),
            5: (None, 0)}
    for i, (what, day) in plan.items():
        ticket = make_ticket(customer_phone=f"1331000000{i}", account_no=f"C{i}")
        Ticket.objects.filter(pk=ticket.pk).update(status=Status.ARCHIVED, received_at=start + timedelta(days=i))
        at = start + timedelta(days=i + day)
        clocks = Clock.objects.filter(ticket=ticket)
        assert clocks.exists()
        if what == "breach":
            clocks.update(warned_at=at - timedelta(hours=1), breached_at=at)
        elif what == "warn":
            clocks.update(warned_at=at, breached_at=at + timedelta(days=3))
        elif what == "unsatisfied":
            Callback.objects.create(ticket=ticket, at=at, result=Callback.Result.UNSATISFIED, by=users["agent"])
    factors = calibrate(start - timedelta(days=1), start + timedelta(days=10))["factors"]
    assert factors["clock_breaches"]["tickets"] == 1  # ticket 0 (ticket 1 breached on day 5)
    assert factors["clock_warnings"]["tickets"] == 1  # ticket 2 (ticket 0 breached by then, ticket 1 warned late)
    assert factors["unsatisfied"]["tickets"] == 1  # ticket 3 (ticket 4's callback on day 4)
    assert factors["unreachable"]["tickets"] == 0


@pytest.mark.django_db
def test_calibration_page_and_bad_dates(client_for):
    from django.urls import reverse

    client = client_for("supervisor")
    assert 'id="calibration-factors"' in client.get(reverse("risk:calibration")).content.decode()
    response = client.get(reverse("risk:calibration"), {"since": "2026-13-01", "until": "x"})
    assert response.status_code == 400 and "有效的起止日期" in response.content.decode()
    assert client_for("station_a").get(reverse("risk:calibration")).status_code == 403
