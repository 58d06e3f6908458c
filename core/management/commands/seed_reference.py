from django.core.management.base import BaseCommand

from accounts.roles import ensure_roles
from complaints.seed import seed_categories
from phrases.seed import seed_phrases
from sla.seed import seed_calendar, seed_policies


class Command(BaseCommand):
    help = "Load reference data: roles, complaint categories, clock policies, the holiday calendar, default phrases."

    def handle(self, *args, **options):
        ensure_roles()
        categories = seed_categories()
        policies = seed_policies()
        days = seed_calendar()
        phrases = seed_phrases()
        self.stdout.write(f"reference data: {categories} categories, {policies} policies, {days} calendar days, "
                          f"{phrases} phrases added")
