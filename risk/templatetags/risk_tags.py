from django import template

from complaints.policy import holds
from risk.selectors import risk_view, sensitive_status

register = template.Library()


@register.inclusion_tag("risk/_ticket_risk.html")
def ticket_risk(ticket):
    """The ticket page's risk card (score, level, why)."""
    return {"risk": risk_view(ticket)}


@register.inclusion_tag("risk/_level.html")
def risk_level(level: str, label: str, score=None):
    return {"level": level, "label": label, "score": score}


@register.inclusion_tag("risk/_sensitive_mark.html")
def sensitive_mark(user, phone: str = "", account_no: str = ""):
    """Intake's mark for a sensitive caller — only for those who may look callers up by number."""
    if not holds(user, "complaints.search_customer"):
        return {"status": None}
    return {"status": sensitive_status(phone=phone or "", account_no=account_no or "")}
