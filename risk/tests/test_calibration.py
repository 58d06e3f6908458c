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
def test_calibration_page_and_bad_dates(client_for):
    from django.urls import reverse

    client = client_for("supervisor")
    assert 'id="calibration-factors"' in client.get(reverse("risk:calibration")).content.decode()
    response = client.get(reverse("risk:calibration"), {"since": "2026-13-01", "until": "x"})
    assert response.status_code == 400 and "有效的起止日期" in response.content.decode()
    assert client_for("station_a").get(reverse("risk:calibration")).status_code == 403
