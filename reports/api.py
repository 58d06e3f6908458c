"""/api/v1/reports/…: the dashboard's figures and the monthly bulletin as JSON, scoped like the pages."""
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from core.api_base import LANG_PARAM, ApiView

from . import figures
from .access import BULLETIN_ROLES, DASHBOARD_ROLES, require_roles
from .bulletin import bulletin_groups

PARAMETERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="统计月份，格式 YYYY-MM；缺省为本月。"
                     "按受理时间(received_at)统计。",
                     required=False, examples=[OpenApiExample("2025年3月", value="2025-03")]),
    OpenApiParameter("unit", OpenApiTypes.STR, description="单位编码，统计该单位及全部下级；"
                     "缺省为本人可见的最高一级单位。不在本人管辖范围内的单位返回 404。", required=False),
    LANG_PARAM,
]
ERRORS = {
    400: OpenApiResponse(description="参数错误(如月份格式不对)：{\"error\": {\"code\": \"invalid\", …}}"),
    403: OpenApiResponse(description="角色无权查看统计"),
    404: OpenApiResponse(description="单位不存在或不在管辖范围内"),
}


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


class ReportSummaryApi(ApiView):
    @extend_schema(
        operation_id="reports_summary", tags=["统计报表"], parameters=PARAMETERS,
        summary="统计看板数据",
        description="所选月份与单位(含下级)的全部主要指标及其环比、同比，以及按渠道、类型、分类、单位、日期的分布，"
                    "近12个月趋势，未办结工单的账龄与计时状态(实时)，各单位超时工单与超时工单清单。"
                    "每项指标的统计口径见返回的 definitions 字段及 docs/figures.md。"
                    "比率为 0–1 的小数，分母为 0 时为 null。",
        responses={200: OpenApiResponse(response=OpenApiTypes.OBJECT, description="指标数据"), **ERRORS},
    )
    def get(self, request):
        require_roles(request.user, DASHBOARD_ROLES)
        scope, period = figures.scope_and_period(request.user, request.query_params)
        data = figures.dashboard(scope, period)
        data["breach_list"] = [
            {"number": t.number, "url": figures.ticket_url(t.number), "kind": t.kind,
             "unit": t.unit.code if t.unit_id else None, "sla_state": t.sla_state,
             "received_at": _iso(t.received_at), "next_due_at": _iso(t.next_due_at)}
            for t in data["breach_list"]]
        return Response(data)


class ReportBulletinApi(ApiView):
    @extend_schema(
        operation_id="reports_bulletin", tags=["统计报表"], parameters=PARAMETERS,
        summary="月度投诉事件通报",
        description="所选月份受理、答复属实的投诉，按承办单位分组，含处理经过(受理、派发、答复、办结时间)、原因、"
                    "是否有责、考核记录(责任单位、责任人、考核意见)和整改措施；"
                    "figures 为当月主要指标。不含客户个人信息。",
        responses={200: OpenApiResponse(response=OpenApiTypes.OBJECT, description="通报数据"), **ERRORS},
    )
    def get(self, request):
        require_roles(request.user, BULLETIN_ROLES)
        scope, period = figures.scope_and_period(request.user, request.query_params)
        groups = bulletin_groups(scope, period)
        return Response({
            "period": {"month": period.key, "label": period.label},
            "unit": {"code": scope.unit.code, "name": scope.unit.name},
            "definition": str(figures.DEFINITIONS["bulletin"]),
            "figures": figures.shared_headline(scope, period)["figures"],
            "groups": [{
                "unit": {"code": g["code"], "name": g["name"]} if g["code"] else None,
                "count": len(g["cases"]), "at_fault": g["at_fault"],
                "tickets": [{
                    "number": c["number"], "channel": c["channel"], "category": c["category"] or None,
                    "description": c["description"], "status": c["status"],
                    "course": {"received_at": _iso(c["received_at"]), "dispatched_at": _iso(c["dispatched_at"]),
                               "replied_at": _iso(c["replied_at"]), "closed_at": _iso(c["closed_at"]),
                               "redispatch_count": c["redispatch_count"], "text": c["course"]},
                    "cause": c["cause"], "at_fault": c["at_fault"], "measures": c["measures"],
                    "accountabilities": [{"unit": a["unit__code"], "unit_name": a["unit__name"], "person": a["person"],
                                          "decision": a["decision"], "decision_label": a["decision_label"],
                                          "note": a["note"]} for a in c["accountabilities"]],
                } for c in g["cases"]],
            } for g in groups],
        })
