"""manage.py import_holidays <file> [--year 2027]: load a year's national holiday schedule."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from sla.imports import decode_upload, import_schedule


class Command(BaseCommand):
    help = "导入年度节假日：每行「日期,名称,休/班」，如 2027-01-01,元旦,休"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, default=None, help="只接受该年度的日期")
        parser.add_argument("--note", default="", help="说明(如国务院通知文号)")

    def handle(self, *args, file, year, note, **options):
        try:
            text = decode_upload(Path(file).read_bytes())
            year, count = import_schedule(text, year=year, note=note)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        except ValidationFailed as exc:
            raise CommandError("\n".join(exc.fields.get("file", [exc.message]))) from exc
        self.stdout.write(self.style.SUCCESS(f"已导入 {year} 年节假日 {count} 条"))
