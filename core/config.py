"""Business settings an administrator may change (admin → 业务参数), with DOMAIN.md defaults.

Read through `setting(key)`; all overrides are read in one query and kept in each process until
one changes (core.memo)."""
from django.db.utils import DatabaseError

from core.memo import Memo
from core.models import Setting

DEFAULTS: dict[str, tuple[object, str]] = {
    "repeat_window_days": (30, "同一客户同一分类在多少天内再次投诉视为重复投诉"),
    "callback_unreachable_tries": (3, "回访未联系上达到几次后可归档"),
    "archive_after_unreachable": (True, "回访多次未联系上是否允许归档"),
    "return_window_working_days": (1, "承办单位在派发后几个工作日内可退单"),
    "auto_supervision_on_breach": (True, "超时后自动生成督办单"),
    "supervision_due_hours": (24, "自动督办单的办理期限(小时)"),
    "supervision_levels": (3, "三级督办：督办单逐级升级的级数(默认 供电所→县公司→地市公司)"),
    "supervision_level_hours": (24, "督办单每升一级后的答复期限(小时)；期限内未答复再升一级"),
    "supervision_warn_ratio": (0.75, "督办单期限用去多少比例时预警"),
    "major_report_minutes": (60, "重大事件快报须在受理后多少分钟内上报上级单位督办部门"),
    "major_summary_by": ("24:00", "重大事件当日简要情况的上报截止时刻(当日)"),
    "major_warn_ratio": (0.75, "重大事件快报/简要情况时限用去多少比例时预警"),
    "customer_search_per_minute": (60, "每人每分钟按电话/户号查询工单的次数上限"),
    "personal_data_retention_years": (5, "已归档工单保留客户个人信息(姓名、电话、户号、地址)的年限"),
    "followup_substantiated": (True, "属实投诉归档后安排半年跟踪回访"),
    "followup_months": (6, "跟踪回访在归档后几个月进行"),
    "auto_dispatch_enabled": (False, "按网格服务区域自动派发至该区域供电所(网格联系人为承办人)"),
    "auto_dispatch_kinds": ("repair,reconnection", "自动派发适用的工单类型/服务类型(英文代码，逗号分隔)"),
    "calendar_reminder_from": ("11-01", "每年从该日(月-日)起，如下一年度节假日尚未导入，提醒管理员与督办部门导入"),
    "reconnection_night_after": ("22:00", "此时间后缴费的欠费复电顺延至次日"),
    "reconnection_next_morning": ("10:00", "顺延复电的完成时间"),
    "regulator_reply_working_days": (10, "12398转办：自收到转办单起几个工作日内答复(转办单要求更早的从其要求)"),
    "regulator_reply_warn_ratio": (0.75, "12398答复计时用去多大比例时预警"),
    "media_complaint_major": (True, "媒体渠道的投诉自动升为重大并触发重大事件上报"),
    "outage_notice_days": (7, "计划检修停电须提前多少天公告；录入时距停电开始不足该天数的标记为投诉风险"),
    "outage_upcoming_days": (7, "受理时显示多少天内将开始的停电"),
    "outage_enquiry_reply": ("已告知客户：{area}{kind}，原因：{cause}；停电开始 {start}，预计 {expected} 恢复供电。",
                             "停电咨询当场答复的内容模板(可用 {kind} {cause} {area} {start} {expected} {restored})"),
    "outage_restored_reply": ("【国网95598】您好，您咨询的{area}停电已于{restored}恢复供电(原因：{cause})。"
                              "如家中仍无电，请拨打95598报修。",
                              "复电后办结停电咨询、短信告知来电客户的内容模板(占位符同上)"),
    "frequent_outage_count": (3, "频繁停电：同一服务区域在统计天数内停电达到多少次"),
    "frequent_outage_days": (60, "频繁停电的统计天数"),
    "queue_refresh_seconds": (5, "派发队列和待办队列自动刷新的间隔(秒)；0 表示不自动刷新"),
    "api_token_days": (30, "个人账号的接口访问令牌有效天数(管理员标记的集成账号的令牌不过期)"),
    # Complaint risk (risk app): points per factor, thresholds, sensitive customers, ledger, 约谈.
    "risk_weight_mood_agitated": (10, "风险分：客户情绪激动加分"),
    "risk_weight_mood_demands": (15, "风险分：客户明确要求投诉加分"),
    "risk_weight_repeat": (20, "风险分：重复投诉加分"),
    "risk_weight_escalated": (30, "风险分：越级投诉加分"),
    "risk_weight_chases": (8, "风险分：每次客户催办加分"),
    "risk_weight_unsatisfied": (20, "风险分：每次回访不满意加分"),
    "risk_weight_unreachable": (5, "风险分：每次回访未联系上加分"),
    "risk_weight_clock_warnings": (5, "风险分：每项时限预警加分"),
    "risk_weight_clock_breaches": (15, "风险分：每项时限超时加分"),
    "risk_weight_prior_12398": (25, "风险分：客户12个月内每件其他12398工单加分"),
    "risk_weight_prior_complaints": (5, "风险分：客户12个月内每件其他投诉加分"),
    "risk_weight_sensitive": (20, "风险分：敏感客户加分"),
    "risk_weight_category_share": (40, "风险分：乘以该分类近12个月越级/12398占比(0–1)后加分"),
    "risk_weight_outage": (15, "风险分：客户所在区域有未结束的停电事件加分"),
    "risk_count_cap": (3, "风险分：按次数计分的因素最多计几次"),
    "risk_level_yellow": (20, "风险分达到多少为黄色"),
    "risk_level_orange": (40, "风险分达到多少为橙色"),
    "risk_level_red": (60, "风险分达到多少为红色(自动发出投诉风险预警单)"),
    "risk_category_min_tickets": (20, "分类越级占比：近12个月少于多少件投诉的分类不计"),
    "sensitive_complaints_n": (3, "敏感客户：12个月内投诉达到多少件"),
    "interview_count_threshold": (5, "月度约谈：单位当月有责投诉件数超过此值"),
    "interview_rate_threshold": (10.0, "月度约谈：单位当月百万客户投诉率超过此值"),
    "kb_unused_days": (90, "知识库文章多少天未被使用即列入维护单位的待复查清单"),
}

def _load() -> dict:
    try:
        return dict(Setting.objects.values_list("key", "value"))
    except DatabaseError:  # defaults until the database answers again
        return {}


OVERRIDES = Memo("settings", _load, max_age=30.0)  # changed() on every Setting save/delete (core.apps)


def setting(key: str):
    """The administrator's value for `key`, else its default."""
    return OVERRIDES.get().get(key, DEFAULTS[key][0])
