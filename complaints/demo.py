"""Demo tickets (written with the real services; filled in by the case-loop work)."""


def seed_demo_tickets() -> int:
    return 0
