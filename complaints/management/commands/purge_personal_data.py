"""manage.py purge_personal_data — erase customers' personal data of archived tickets past the
retention period (business setting personal_data_retention_years). Run monthly by beat; idempotent."""
from django.core.management.base import BaseCommand

from complaints.services.retention import personal_data_purge


class Command(BaseCommand):
    help = "删除超过保存期限的已归档工单中的客户个人信息(姓名、电话、户号、地址)，统计数据不变"

    def handle(self, *args, **options):
        result = personal_data_purge()
        self.stdout.write(result.message())
