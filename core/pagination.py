"""Keyset (cursor) pagination: the one paginator of every long list, pages and API alike.

Rows are ordered by (a timestamp, id); a cursor names the row to continue after, so a page deep in
a million rows costs what the first one does (no OFFSET). The cursor is opaque to clients
(base64 of direction|timestamp|id); one that this code did not issue answers 400 (`BadQuery`).
Totals are counted up to `COUNT_CAP` rows (shown as "10,000+"): an exact COUNT(*) over a whole
province would cost more than the page it labels."""
import base64
import binascii
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.badinput import BadQuery, check_instant

COUNT_CAP = 10_000
# A sparse list (a text search) of at most this many rows has its page read from their ids.
SPARSE_IDS = 5_000


@dataclass
class Page:
    items: list
    next_cursor: str | None
    prev_cursor: str | None
    total: int | None = None  # rows in the whole list, up to COUNT_CAP (None: not counted)
    total_capped: bool = False  # there are more than COUNT_CAP


def count_capped(qs: QuerySet) -> tuple[int, bool]:
    """(rows, more than COUNT_CAP?) — COUNT over `LIMIT COUNT_CAP + 1`, never the whole table."""
    return _capped(qs.order_by()[: COUNT_CAP + 1].count())


def _capped(n: int) -> tuple[int, bool]:
    return min(n, COUNT_CAP), n > COUNT_CAP


def _encode(direction: str, obj, key: str) -> str:
    raw = f"{direction}|{getattr(obj, key).isoformat()}|{obj.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        direction, at, pk = raw.split("|")
        at_value, pk = parse_datetime(at), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadQuery(gettext("分页游标无效"), field="cursor") from None
    if direction not in ("n", "p") or not 0 < pk < 2**63:
        raise BadQuery(gettext("分页游标无效"), field="cursor")
    return direction, check_instant(at_value), pk


def keyset_page(qs: QuerySet, cursor: str | None = "", size: int = 50, *, key: str = "received_at",
                newest_first: bool = True, count: bool = False, sparse: bool = False) -> Page:
    """One page of `qs` ordered by `key`, id. `cursor` comes from a previous page's next/prev
    cursor; a broken or forged one raises BadQuery (400). `count` adds the list's (capped) total.

    `sparse` (with `count`): the rows may lie far apart in that order, as a text search's do. The
    planner would read the order's index from the newest row and test each one until a page is
    full — 80,000 rows for a phrase in 2,000 tickets at 1M, more the older the matches are. So the
    total is counted first, and a list of up to SPARSE_IDS rows has its page read from their ids."""
    decoded = _decode(cursor) if cursor else None
    forward = decoded is None or decoded[0] == "n"
    descending = newest_first == forward
    ordered = qs.order_by(f"-{key}", "-id") if descending else qs.order_by(key, "id")
    counted = None
    if count and sparse:
        counted = count_capped(qs)
        if not counted[1] and counted[0] <= SPARSE_IDS:
            ordered = ordered.filter(pk__in=_sparse_page_ids(qs, key, descending, decoded, size))
    if decoded:
        _, at, pk = decoded
        after = Q(**{f"{key}__lt": at}) | Q(**{key: at, "id__lt": pk}) if descending else \
            Q(**{f"{key}__gt": at}) | Q(**{key: at, "id__gt": pk})
        ordered = ordered.filter(after)
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not count:
        total, capped = None, False
    elif counted is not None:
        total, capped = counted
    elif decoded is None and not more:  # the whole list is on this first page: nothing more to count
        total, capped = _capped(len(rows))
    else:
        total, capped = count_capped(qs)
    if not rows:
        return Page([], None, None, total, capped)
    has_next = more if forward else True
    has_prev = (decoded is not None) if forward else more
    return Page(rows, _encode("n", rows[-1], key) if has_next else None,
                _encode("p", rows[0], key) if has_prev else None, total, capped)


def _sparse_page_ids(qs: QuerySet, key: str, descending: bool, decoded, size: int) -> list[int]:
    """The ids of a sparse list's page: every row's (key, id) read at once — a few thousand — and
    ordered here, so the page's own query fetches those rows by id. The cursor's rule is the
    keyset filter of keyset_page, as a comparison of (key, id) pairs."""
    pairs = sorted(qs.order_by().values_list(key, "pk"), reverse=descending)
    if decoded:
        _, at, pk = decoded
        pairs = [p for p in pairs if (p < (at, pk) if descending else p > (at, pk))]
    return [pk for _, pk in pairs[: size + 1]]


class KeysetPagination(BasePagination):
    """DRF's face of `keyset_page`: `?cursor=` / `?page_size=`, answering {next, previous, results}
    (+ `count`, `count_capped` when `count` is set)."""

    key = "received_at"
    newest_first = True
    page_size = 50
    max_page_size = 200
    count = False

    def sparse(self, request) -> bool:
        """Whether the request's filter leaves rows far apart in the order (see keyset_page)."""
        return False

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self._size(request.query_params.get("page_size"))
        self.page = keyset_page(queryset, request.query_params.get("cursor"), size, key=self.key,
                                newest_first=self.newest_first, count=self.count, sparse=self.sparse(request))
        return self.page.items

    def _size(self, raw) -> int:
        # As DRF's own paginators: a page_size that is no positive number means the default.
        if raw and raw.isdigit() and 0 < len(raw) < 10 and int(raw) > 0:
            return min(int(raw), self.max_page_size)
        return self.page_size

    def _url(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, "cursor"), "cursor", cursor)

    def get_paginated_response(self, data):
        body = {"next": self._url(self.page.next_cursor), "previous": self._url(self.page.prev_cursor)}
        if self.count:
            body.update(count=self.page.total, count_capped=self.page.total_capped)
        return Response({**body, "results": data})

    def get_paginated_response_schema(self, schema):
        props = {"next": {"type": "string", "nullable": True, "format": "uri"},
                 "previous": {"type": "string", "nullable": True, "format": "uri"}}
        if self.count:
            props["count"] = {"type": "integer", "description": f"符合条件的总条数(最多数到 {COUNT_CAP:,})"}
            props["count_capped"] = {"type": "boolean", "description": f"true：超过 {COUNT_CAP:,} 条，count 为下限"}
        return {"type": "object", "required": ["results"], "properties": {**props, "results": schema}}

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "分页游标(取自上一页的 next / previous)"},
            {"name": "page_size", "in": "query", "required": False, "schema": {"type": "integer"},
             "description": f"每页条数(默认 {self.page_size}，最多 {self.max_page_size})"},
        ]
