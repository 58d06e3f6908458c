"""How well the risk score ranked the tickets that later went to 12398 or became repeats:
  manage.py risk_calibration --since 2026-01-01 --until 2026-07-01 [--days 3] [--horizon 90]"""
import json
import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from risk.calibration import calibrate


class Command(BaseCommand):
    help = "Calibration report of the risk score over archived complaints of a period (AUC, top 5%/10%, lift)."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD (received from)")
        parser.add_argument("--until", required=True, help="YYYY-MM-DD (received before)")
        parser.add_argument("--days", type=int, default=3, help="score as of this many days after receipt")
        parser.add_argument("--horizon", type=int, default=90, help="days after receipt the outcome is looked for")

    def handle(self, *args, **options):
        try:
            since, until = (timezone.make_aware(datetime.strptime(options[k], "%Y-%m-%d")) for k in ("since", "until"))
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        started = time.perf_counter()
        report = calibrate(since, until, days=options["days"], horizon=options["horizon"])
        report["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
