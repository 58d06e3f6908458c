"""Demo organisation and users (password Demo@12345), created once."""
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import RegionType, Role, Unit, UnitKind, User

DEMO_PASSWORD = "Demo@12345"

# (username, full name, unit code, roles, is_staff)
DEMO_USERS = [
    ("agent", "王坐席", "KF", [Role.AGENT], False),
    ("lead", "李班长", "KF", [Role.LEAD], False),
    ("station_a", "张承办", "GS-A1-1", [Role.HANDLER], False),
    ("station_b", "赵承办", "GS-B1-1", [Role.HANDLER], False),
    ("manager_a", "陈所长", "GS-A1-1", [Role.UNIT_MANAGER], False),
    ("supervisor", "刘督办", "KF", [Role.SUPERVISOR], False),
    ("discipline", "孙纪检", "JJ", [Role.DISCIPLINE], False),
    ("viewer", "周领导", "SGS", [Role.VIEWER], False),
    ("admin", "系统管理员", "SGS", [Role.ADMIN], True),
]


@cache
def demo_password_hash() -> str:
    """The demo password hashed once per process (hashing is slow by design; the demo users share it)."""
    return make_password(DEMO_PASSWORD)


DEMO_LOGINS = [(u, name, roles[0].label) for u, name, _unit, roles, _staff in DEMO_USERS]


def _unit(code, name, kind, parent=None, region=RegionType.URBAN, customers=0, supervision=False):
    unit, _ = Unit.objects.get_or_create(code=code, defaults=dict(
        name=name, kind=kind, parent=parent, region_type=region, customer_count=customers,
        is_supervision=supervision))
    return unit


@transaction.atomic
def seed_org() -> dict[str, Unit]:
    root = _unit("SGS", "示范省电力公司", UnitKind.PROVINCE)
    units = {"SGS": root}
    units["KF"] = _unit("KF", "客户服务中心", UnitKind.DEPARTMENT, root, supervision=True)
    units["YX"] = _unit("YX", "营销部", UnitKind.DEPARTMENT, root)
    units["JJ"] = _unit("JJ", "纪检监察室", UnitKind.DISCIPLINE, root)
    for c, city in (("A", "东州供电公司"), ("B", "西州供电公司")):
        city_unit = _unit(f"DS-{c}", city, UnitKind.CITY, root)
        units[city_unit.code] = city_unit
        for n in (1, 2):
            county = _unit(f"XG-{c}{n}", f"{city[:2]}{'一二'[n - 1]}县供电公司", UnitKind.COUNTY, city_unit,
                           region=RegionType.RURAL if n == 2 else RegionType.URBAN)
            units[county.code] = county
            for s in (1, 2):
                # 城关 (the county town) is urban, 乡镇 (the townships) rural: it sets e.g. the repair
                # arrival limit (urban 45 min, rural 90 min).
                region = (RegionType.URBAN, RegionType.RURAL)[s - 1]
                station = _unit(f"GS-{c}{n}-{s}", county.name.replace("供电公司", ("城关", "乡镇")[s - 1] + "供电所"),
                                UnitKind.STATION, county, region=region, customers=40_000 + 10_000 * s + 5_000 * n)
                if station.region_type != region:  # a demo database seeded before the types were right
                    station.region_type = region
                    station.save(update_fields=["region_type"])
                units[station.code] = station
    return units


@transaction.atomic
def seed_users(units: dict[str, Unit]) -> list[User]:
    users = []
    for username, full_name, unit_code, roles, staff in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=full_name, unit=units[unit_code], is_staff=staff,
                        is_superuser=staff, email=f"{username}@demo.local")
            user.password = demo_password_hash()
            user.save()
            user.groups.set(Group.objects.filter(name__in=roles))
        users.append(user)
    return users
