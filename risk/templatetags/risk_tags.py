from django import template

from risk.selectors import risk_view

register = template.Library()


@register.inclusion_tag("risk/_ticket_risk.html")
def ticket_risk(ticket):
    """The ticket page's risk card (score, level, why)."""
    return {"risk": risk_view(ticket)}


@register.inclusion_tag("risk/_level.html")
def risk_level(level: str, label: str, score=None):
    return {"level": level, "label": label, "score": score}
