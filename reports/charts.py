"""ECharts options for the dashboard (drawn by static/js/charts.js): plain JSON, with a `links`
list so that clicking a bar or slice opens the ticket list it counts."""
from django.utils.translation import gettext as _

from complaints.models import Channel, Kind

from .figures import Period, Scope, ticket_list_url

GRID = {"left": 48, "right": 16, "top": 36, "bottom": 40, "containLabel": True}
TOOLTIP = {"trigger": "axis"}


def _bar(categories, series, links, *, horizontal=False, legend=True):
    category_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0, "hideOverlap": True}}
    value_axis = {"type": "value", "minInterval": 1}
    return {
        "tooltip": TOOLTIP,
        "legend": {"top": 0} if legend and len(series) > 1 else {"show": False},
        "grid": GRID,
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [{"type": "bar", "name": name, "data": data, "barMaxWidth": 36} for name, data in series],
        "links": links,
    }


def _pie(items, links):
    return {
        "tooltip": {"trigger": "item", "formatter": _("{b}: {c} 件 ({d}%)")},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [{"type": "pie", "radius": ["35%", "65%"], "center": ["50%", "45%"],
                    "label": {"formatter": "{b}\n{c}"},
                    "data": [{"name": name, "value": value} for name, value in items]}],
        "links": links,
    }


def trend_option(scope: Scope, data: dict) -> dict:
    months = [Period.parse(row["month"]) for row in data["trend"]]
    series = [(_("受理量"), "volume", {}), (_("投诉类诉求"), "complaint_requests", {"kind": Kind.COMPLAINT}),
              (_("12398转办"), "regulator_12398", {"channel": Channel.REGULATOR_12398})]
    return {
        "tooltip": TOOLTIP, "legend": {"top": 0}, "grid": GRID,
        "xAxis": {"type": "category", "data": [p.label for p in months]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "line", "name": name, "data": [row[key] for row in data["trend"]], "symbolSize": 7}
                   for name, key, _ in series],
        "links": [[ticket_list_url(scope, p, **params) for p in months] for _, _, params in series],
    }


def daily_option(scope: Scope, period: Period, data: dict) -> dict:
    days = data["daily"]
    links = [[ticket_list_url(scope, received_from=d["date"], received_to=d["date"], **params) for d in days]
             for params in ({}, {"kind": Kind.COMPLAINT})]
    return _bar([d["date"][8:] for d in days], [(_("受理量"), [d["volume"] for d in days]),
                                                (_("投诉类诉求"), [d["complaint_requests"] for d in days])], links)


def channel_option(scope: Scope, period: Period, data: dict) -> dict:
    rows = data["by_channel"]
    return _pie([(r["label"], r["count"]) for r in rows],
                [ticket_list_url(scope, period, channel=r["code"]) for r in rows])


def kind_option(scope: Scope, period: Period, data: dict) -> dict:
    rows = data["by_kind"]
    return _bar([r["label"] for r in rows], [(_("工单量"), [r["count"] for r in rows])],
                [ticket_list_url(scope, period, kind=r["code"]) for r in rows], legend=False)


def category_option(scope: Scope, period: Period, data: dict) -> dict:
    rows = [r for r in data["by_category"] if r["id"] is not None]
    return _bar([r["name"] for r in rows], [(_("工单量"), [r["count"] for r in rows])],
                [ticket_list_url(scope, period, category=r["id"]) for r in rows], legend=False)


def category_item_option(scope: Scope, period: Period, data: dict) -> dict:
    items = sorted((i for r in data["by_category"] for i in r["items"]), key=lambda i: i["count"])[-15:]
    option = _bar([i["name"] for i in items], [(_("工单量"), [i["count"] for i in items])],
                  [ticket_list_url(scope, period, category=i["id"]) for i in items], horizontal=True, legend=False)
    return option


def unit_option(scope: Scope, period: Period, data: dict) -> dict:
    rows = data["by_unit"]

    def link(row, **params):
        if row["id"] is None:
            return ticket_list_url(scope, period, status="registered", **params)
        return ticket_list_url(scope, period, unit_id=row["id"], **params)

    series = [(_("受理量"), "volume", {}), (_("投诉类诉求"), "complaint_requests", {"kind": Kind.COMPLAINT}),
              (_("属实投诉"), "substantiated", {"kind": Kind.COMPLAINT})]
    return _bar([r["name"] for r in rows], [(name, [r[key] for r in rows]) for name, key, _ in series],
                [[link(r, **params) for r in rows] for _, _, params in series])


def clock_option(scope: Scope, data: dict) -> dict:
    rows = data["open"]["by_clock"]
    return _pie([(r["label"], r["count"]) for r in rows],
                [ticket_list_url(scope, clock=r["state"]) if r["state"] != "none"
                 else ticket_list_url(scope, status="open") for r in rows])


def age_option(scope: Scope, data: dict) -> dict:
    rows = data["open"]["by_age"]
    return _bar([r["label"] for r in rows], [(_("未办结工单"), [r["count"] for r in rows])],
                [ticket_list_url(scope, status="open", received_from=r["received_from"],
                                 received_to=r["received_to"]) for r in rows], legend=False)


def breach_unit_option(scope: Scope, data: dict) -> dict:
    rows = data["breaches_by_unit"]
    return _bar([r["name"] for r in rows], [(_("超时工单"), [r["breached"] for r in rows])],
                [ticket_list_url(scope, unit_id=r["id"], clock="breached") if r["id"]
                 else ticket_list_url(scope, clock="breached") for r in rows], legend=False)


def dashboard_charts(scope: Scope, period: Period, data: dict) -> list[dict]:
    """(id, title, definition key, option) for each chart, in page order."""
    return [
        {"id": "chart-trend", "title": _("近12个月受理趋势"), "definition": "trend",
         "option": trend_option(scope, data), "size": "chart"},
        {"id": "chart-daily", "title": _("本月每日受理"), "definition": "daily",
         "option": daily_option(scope, period, data), "size": "chart"},
        {"id": "chart-channel", "title": _("受理渠道"), "definition": "by_channel",
         "option": channel_option(scope, period, data), "size": "chart"},
        {"id": "chart-kind", "title": _("工单类型"), "definition": "by_kind",
         "option": kind_option(scope, period, data), "size": "chart"},
        {"id": "chart-category", "title": _("投诉分类(大类)"), "definition": "by_category",
         "option": category_option(scope, period, data), "size": "chart"},
        {"id": "chart-category-item", "title": _("投诉分类(小类，前15)"), "definition": "by_category",
         "option": category_item_option(scope, period, data), "size": "chart"},
        {"id": "chart-unit", "title": _("各单位受理与投诉"), "definition": "by_unit",
         "option": unit_option(scope, period, data), "size": "chart chart-lg"},
        {"id": "chart-clock", "title": _("未办结工单计时状态"), "definition": "open_by_clock",
         "option": clock_option(scope, data), "size": "chart"},
        {"id": "chart-age", "title": _("未办结工单受理天数"), "definition": "open_by_age",
         "option": age_option(scope, data), "size": "chart"},
        {"id": "chart-breach-unit", "title": _("各单位超时工单"), "definition": "breaches_by_unit",
         "option": breach_unit_option(scope, data), "size": "chart"},
    ]
