"""Complaint classification: four classes, their items (DOMAIN.md §2). Codes are stable."""
from django.db import transaction

from complaints.models import Category

CATEGORIES = [
    ("FW", "服务规范类", [("FW01", "服务态度"), ("FW02", "服务规范")]),
    ("YX", "营销管理类", [("YX01", "抄表质量"), ("YX02", "营业收费"), ("YX03", "电费电价"), ("YX04", "催收电费"),
                          ("YX05", "电能计量"), ("YX06", "报装接电(一户一表)"), ("YX07", "报装接电(其它)")]),
    ("YW", "运行维护类", [("YW01", "故障处理"), ("YW02", "供电质量"), ("YW03", "停电公告"), ("YW04", "电器损坏"),
                          ("YW05", "安全隐患"), ("YW06", "施工质量"), ("YW07", "环保"), ("YW08", "电网改造")]),
    ("XC", "供电方宣传责任类", [("XC01", "供电方宣传责任")]),
]


@transaction.atomic
def seed_categories() -> int:
    created = 0
    for sort, (code, name, items) in enumerate(CATEGORIES, start=1):
        parent, new = Category.objects.get_or_create(code=code, defaults={"name": name, "sort": sort * 100})
        created += new
        for i, (item_code, item_name) in enumerate(items, start=1):
            _, new = Category.objects.get_or_create(
                code=item_code, defaults={"name": item_name, "parent": parent, "sort": sort * 100 + i})
            created += new
    return created
