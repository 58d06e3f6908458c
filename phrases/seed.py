# ruff: noqa: E501 — default phrase texts (Chinese, double-width) are kept one per line
"""The province-wide default 常用语 (seed_reference, idempotent): the closed loop's usual wording —
first contact within a working day, 查处 and 答复 to the customer, 退单 with the reason, 回访."""
from .models import Field, Phrase

F = Field
DEFAULTS = [
    (F.REPLY_TEXT, "答复：属实已处理", "{客户}您好，关于您反映的问题(工单号{工单号})，经我单位核实情况属实，已于当日安排处理完毕。给您带来的不便，我们深表歉意，感谢您对供电工作的理解与支持。"),
    (F.REPLY_TEXT, "答复：不属实已解释", "{客户}您好，关于您反映的问题(工单号{工单号})，经我单位现场核实，相关业务办理符合规定，已向您详细解释政策和办理流程。如仍有疑问，欢迎拨打95598。"),
    (F.REPLY_TEXT, "答复：停电已恢复", "{客户}您好，您反映的停电问题(工单号{工单号})系线路故障所致，抢修人员已到达现场处理，供电已恢复。给您带来的不便，敬请谅解。"),
    (F.CAUSE, "原因：工作人员服务不规范", "经核实，工作人员在服务过程中未严格执行供电服务规范，态度欠佳，引起客户不满。"),
    (F.CAUSE, "原因：设备故障停电", "经核实，系配电线路设备故障引起停电，非计划停电。"),
    (F.CAUSE, "原因：政策解释不到位", "经核实，业务办理符合规定，工作人员向客户解释政策不到位，客户存在误解。"),
    (F.MEASURES, "措施：致歉并教育整改", "已向客户当面致歉；对责任人进行批评教育并按考核办法考核；在全所通报，举一反三。"),
    (F.MEASURES, "措施：抢修复电并巡视", "已组织抢修恢复供电，并对该线路开展特巡，消除隐患，防止再次发生。"),
    (F.RETURN_REASON, "退单：不属本单位供区", "经核实，客户地址不属于本单位供电范围，请重新派发至属地供电单位。"),
    (F.RETURN_REASON, "退单：客户信息有误", "工单客户地址、户号信息有误，无法核实，请核对后重新派发。"),
    (F.CALLBACK_NOTE, "回访：满意", "已回访{客户}，客户对处理结果表示满意。"),
    (F.CALLBACK_NOTE, "回访：不满意", "已回访{客户}，客户对处理结果不满意，原因："),
    (F.CALLBACK_NOTE, "回访：未接通", "回访电话无人接听，稍后再次回访。"),
    (F.SUPERVISION, "督办：限期处理", "工单{工单号}处理时限将至，请于{期限}前联系客户并答复处理结果。"),
    (F.SUPERVISION, "预警：投诉风险", "工单{工单号}客户情绪激动，存在升级投诉风险，请承办单位负责人亲自处理，于{期限}前答复。"),
    (F.CONTACT_NOTE, "联系：已约定上门", "已与{客户}电话联系，说明处理进度，约定上门核实时间。"),
    (F.CONTACT_NOTE, "联系：未接通", "电话无人接听，已发送短信告知工单号{工单号}及联系方式。"),
    (F.WITHDRAW_REASON, "撤诉：问题已解决", "客户来电表示问题已解决，主动撤回诉求。"),
    (F.WITHDRAW_REASON, "撤诉：误报", "客户表示系误报，撤回诉求。"),
]


def seed_phrases() -> int:
    """Add the defaults to an empty table: an administrator's own changes are never overwritten."""
    if Phrase.objects.exists():
        return 0
    Phrase.objects.bulk_create(Phrase(field=f, title=title, text=text, sort=i)
                               for i, (f, title, text) in enumerate(DEFAULTS))
    return len(DEFAULTS)
