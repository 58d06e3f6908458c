from django import template

register = template.Library()


@register.filter
def phrases_for(action_form: dict, field) -> list:
    """The phrases offered beside one field of an action form (render_detail puts them there)."""
    return action_form.get("phrases", {}).get(field.name, [])
