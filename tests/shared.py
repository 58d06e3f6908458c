"""What several test modules share: the reference data every test database starts with, the sample
ticket `make_ticket` registers, and rows a whole module or class reads, made once.

Imports of the apps stay inside the functions: the root conftest imports this module before Django
is set up."""
from contextlib import contextmanager

SAMPLE_TICKET = dict(channel="95598_phone", kind="complaint", customer_name="张三", customer_phone="13800138000",
                     account_no="3100012345", address="东州市城关镇幸福村", description="抄表员态度恶劣")


def seed_reference_and_org():
    from accounts.demo import seed_org, seed_users
    from accounts.roles import ensure_roles
    from complaints.seed import seed_categories
    from sla.seed import seed_calendar, seed_policies

    ensure_roles()
    seed_categories()
    seed_policies()
    seed_calendar()
    seed_users(seed_org())


def reference_seeded() -> bool:
    from accounts.models import User

    return User.objects.filter(username="admin").exists()


def register_sample(*, actor, default_category, **overrides):
    """The sample complaint through the intake service (`overrides` change any field)."""
    from complaints.services import IntakeData, ticket_register

    fields = {**SAMPLE_TICKET, "category": default_category, **overrides}
    ticket, _ = ticket_register(actor=fields.pop("actor", actor), data=IntakeData(**fields))
    return ticket


@contextmanager
def shared_rows(django_db_blocker):
    """Rows that every test of a module or class reads, made once inside one transaction that is
    rolled back after the last of them; each test's own transaction nests inside (a savepoint), as
    with Django's setUpTestData. Seeding them once per test cost seconds a test."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        if not reference_seeded():  # transactional tests flush the tables
            seed_reference_and_org()
        yield
        transaction.set_rollback(True)
