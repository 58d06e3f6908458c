"""Fixtures of the security tests (fast hashing, fresh caches and the clients come from the root
conftest): a private media folder, and `dispatched` as a factory."""
import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def dispatched(make_ticket, users, units):
    """A complaint dispatched to station A (GS-A1-1)."""
    from complaints.services import ticket_dispatch

    def make(**overrides):
        ticket = make_ticket(**overrides)
        return ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])

    return make
