"""Small date helpers shared by the apps."""

import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by ``years`` (negative: back); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def years_ago(day: datetime.date, years: int) -> datetime.date:
    return add_years(day, -years)
