from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def figure_value(figure, value):
    """A headline figure as people read it: counts as integers, rates as percentages."""
    if value is None:
        return "—"
    if figure.get("unit") == "%":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@register.simple_tag
def figure_change(figure, which):
    """Month-over-month / year-over-year change: relative for counts, points for rates."""
    if figure.get("unit") == "%":
        value = figure.get(f"{which}_points")
        if value is None:
            return "—"
        text = gettext("%(value)s个百分点") % {"value": f"{value * 100:+.1f}"}
    else:
        value = figure.get(which)
        if value is None:
            return "—"
        text = f"{value * 100:+.1f}%"
    worse_when_up = figure.get("unit") != "%" or figure.get("key") == "repeat_rate"
    worse = value > 0 if worse_when_up else value < 0
    css = "text-muted" if value == 0 else "text-danger" if worse else "text-success"
    return format_html('<span class="{}">{}</span>', css, text)
