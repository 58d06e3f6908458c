from django.core.management.base import BaseCommand

from accounts.demo import seed_org, seed_users


class Command(BaseCommand):
    help = "Create the demo organisation, users and tickets (idempotent)."

    def handle(self, *args, **options):
        units = seed_org()
        users = seed_users(units)
        from complaints.demo import HISTORY, seed_demo_tickets

        created = seed_demo_tickets(history=HISTORY)
        if created:
            from complaints.services.sweep import sweep_clocks

            sweep_clocks()  # bring the back-dated clocks up to now: warnings, breaches, supervision orders
        from knowledge.demo import seed_demo_articles
        from outages.demo import seed_demo_outages

        outages, articles = seed_demo_outages(), seed_demo_articles()
        from risk.demo import seed_demo_risk

        risk = seed_demo_risk()
        self.stdout.write(f"demo: {len(units)} units, {len(users)} users, {created} tickets, {outages} outages, "
                          f"{articles} knowledge articles added; risk levels {risk['levels']}")
