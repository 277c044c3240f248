"""Pagination that does not COUNT(*) a big table to show page numbers."""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 10_000


def estimated_row_count(model) -> int:
    """PostgreSQL's planner estimate of the table's rows (pg_class.reltuples; -1 or 0 before
    the first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] else 0


class EstimatedCountPaginator(Paginator):
    """Uses the estimate instead of COUNT(*) for a big table: when ``estimate`` is True, or,
    when it is None (the admin's case), whenever the queryset has no filter. Filtered lists
    count exactly. ``estimated`` tells the template to say "about N"."""

    def __init__(self, *args, estimate: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.estimate = estimate
        self.estimated = False

    @cached_property
    def count(self):
        use_estimate = self.estimate
        if use_estimate is None:
            use_estimate = not getattr(self.object_list, "query", None) or not (
                self.object_list.query.where
            )
        if use_estimate:
            rows = estimated_row_count(self.object_list.model)
            if rows > 0 and rows > ESTIMATE_ABOVE:
                self.estimated = True
                return rows
        return super().count
