"""What a ticket is and where it came from — the words every app uses (the clocks' policies, the
figures, the risk model) without depending on the ticket's own app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE_95598 = "95598_phone", _("95598电话")
    ONLINE_95598 = "95598_online", _("95598网上国网")
    REGULATOR_12398 = "12398", _("12398能源监管热线转办")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    OPINION_BOX = "opinion_box", _("营业厅意见簿/意见箱")
    MEDIA = "media", _("媒体")
    GOVERNMENT = "government", _("政府转办")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    OPINION = "opinion", _("意见")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")
    ENQUIRY = "enquiry", _("咨询")
    HELP = "help", _("求助")
    REPAIR = "repair", _("故障报修")
    SERVICE_REQUEST = "service_request", _("服务申请")


class ServiceType(models.TextChoices):
    """What a service request asks for; selects the reconnection and connection clocks."""

    NONE = "", _("—")
    RECONNECTION = "reconnection", _("欠费复电")
    CONNECTION_RESIDENTIAL = "connection_residential", _("装表接电(居民)")
    CONNECTION_LOW_VOLTAGE = "connection_low_voltage", _("装表接电(低压非居民)")
    CONNECTION_HV_SINGLE = "connection_hv_single", _("装表接电(高压单电源)")
    CONNECTION_HV_DUAL = "connection_hv_dual", _("装表接电(高压双电源)")
    APPLIANCE_DAMAGE = "appliance_damage", _("家电损坏")
    METER_ANOMALY = "meter_anomaly", _("计量异常")


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    IMPORTANT = "important", _("重要")
    MAJOR = "major", _("重大")
