from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    """Whole minutes of a timedelta (e.g. django-axes' cool-off), '' when absent."""
    try:
        return int(value.total_seconds() // 60)
    except AttributeError:
        return ""
