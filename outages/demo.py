"""Demo outages (`make run`): a planned outage next week and a fault outage in progress in station
GS-A1-1's villages, with calls already answered from it — entered and logged through the services."""
from datetime import timedelta

from django.utils import timezone

from accounts.models import Unit, User
from complaints.models import ServiceArea


def seed_demo_outages() -> int:
    from complaints.services import IntakeData

    from .models import OutageEvent
    from .services import OutageData, outage_call_log, outage_create

    if OutageEvent.objects.exists():
        return 0
    station = Unit.objects.filter(code="GS-A1-1").first()
    staff = User.objects.filter(username="station_a").first()
    agent = User.objects.filter(username="agent").first()
    areas = list(ServiceArea.objects.filter(unit=station).order_by("code")) if station else []
    if not (station and staff and agent and len(areas) >= 2):
        return 0
    now = timezone.now()
    start = timezone.localtime(now + timedelta(days=8)).replace(hour=8, minute=0, second=0, microsecond=0)
    outage_create(actor=staff, data=OutageData(
        kind="planned", cause="10千伏城关线检修，更换老旧线路和变压器", unit=station, start_at=start,
        expected_restore_at=start + timedelta(hours=9), service_areas=[areas[1]], keywords="城关线"))
    fault = outage_create(actor=staff, data=OutageData(
        kind="fault", cause="雷雨天气导致10千伏幸福线跳闸，抢修人员已到现场", unit=station,
        start_at=now - timedelta(minutes=50), expected_restore_at=now + timedelta(hours=2),
        service_areas=[areas[0]], keywords="幸福线", notice_sent_at=now - timedelta(minutes=44)))
    for name, phone, number in (("刘芳", "13812340001", 3), ("陈强", "13812340002", 17), ("赵敏", "13812340003", 25)):
        outage_call_log(actor=agent, event=fault, data=IntakeData(
            channel="95598_phone", kind="enquiry", customer_name=name, customer_phone=phone,
            address=f"{areas[0].name}{number}号", description="家里停电了，问什么时候来电"))
    return 2
