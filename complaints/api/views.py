"""The ticket API: one class per operation, each a thin call into complaints.services (writes)
or complaints.selectors (reads). No business rule lives here."""

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from complaints import selectors, services
from complaints.actions import API_ACTIONS, Action
from complaints.filters import TicketFilter, is_text_search
from complaints.models import Category, Status, Ticket
from complaints.permissions import access_ticket
from complaints.policy import holds, visible_attachments
from complaints.services.investigation import investigation_task, investigation_tasks
from core.api import invalid_error
from core.api_base import (
    E400,
    E403,
    LANG_PARAM,
    NUMBER_PARAM,
    READ_ERRORS,
    WRITE_ERRORS,
    ApiView,
    check_id,
    check_number,
)
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.pagination import KeysetPagination
from core.parsers import JSONParser
from outages.serializers import TicketIntakeResultSerializer, intake_outages

from . import serializers as s

TAG_TICKETS, TAG_ACTIONS, TAG_REFERENCE = "工单", "工单处理动作", "参考数据"


def ticket_response(request, number: str, *, code=status.HTTP_200_OK) -> Response:
    ticket = selectors.ticket_detail(request.user, number)
    return Response(s.TicketDetailSerializer(ticket, context={"request": request}).data, status=code)


class TicketPagination(KeysetPagination):
    """The ticket list's pages (core.pagination, shared with the list page), with the total."""

    count = True

    def sparse(self, request) -> bool:
        return is_text_search(request.query_params.get("q", ""))


class CategoryListApi(ApiView):
    @extend_schema(tags=[TAG_REFERENCE], summary="投诉分类", parameters=[LANG_PARAM],
                   description="全部启用的投诉分类：四个大类(parent 为 null)及其下的分类项目。"
                               "受理时 category 填项目编码。",
                   responses={200: s.CategorySerializer(many=True), **READ_ERRORS})
    def get(self, request):
        qs = Category.objects.filter(active=True).select_related("parent").order_by("parent_id", "sort", "code")
        return Response(s.CategorySerializer(qs, many=True).data)


_INTAKE_EXAMPLE = {
    "channel": "12398", "kind": "complaint", "category": "FW01", "received_at": "2026-11-20T09:30:00+08:00",
    "customer": {"name": "张三", "phone": "13800138000", "account_no": "3100012345", "address": "东州市城关镇幸福村"},
    "description": "供电所抄表员服务态度恶劣", "regulator_ref": "12398-2026-000123",
}


class TicketListApi(ApiView, GenericAPIView):
    """GET the caller's tickets; POST registers (受理) a new one."""

    # The list page's filter schema (complaints.filters); DjangoFilterBackend applies it (a bad value
    # answers 400) and documents its parameters in the OpenAPI schema.
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter
    pagination_class = TicketPagination
    queryset = Ticket.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = s.TicketIntakeSerializer  # what OPTIONS describes (the POST body)

    def get_queryset(self):
        return selectors.ticket_list_base(self.request.user)

    @extend_schema(
        tags=[TAG_TICKETS], summary="工单列表", operation_id="tickets_list",
        description="当前用户可见范围内的工单，按受理时间倒序，游标分页(next / previous / results)，"
                    "count 为符合条件的总条数(超过 10,000 条时 count_capped 为 true)。"
                    "筛选参数与工单查询页面相同。每页查询次数固定，不随条数增加。",
        parameters=[LANG_PARAM], responses={200: s.TicketListSerializer(many=True), **E400, **READ_ERRORS})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        body = s.TicketListSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(body)

    @extend_schema(
        tags=[TAG_TICKETS], summary="受理登记工单", operation_id="tickets_create",
        description="登记一张工单(坐席、受理班长、督办人员)。自动编号、识别重复/越级投诉、启动派发时限。"
                    "请求头 `Idempotency-Key` 相同时(同一用户)不会重复登记，答复第一次登记的工单(状态码 200)。",
        parameters=[LANG_PARAM, OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                                 description="幂等键(最长 100 字符)：网络重试时带同一个值")],
        request=s.TicketIntakeSerializer,
        examples=[OpenApiExample("12398 转办投诉", value=_INTAKE_EXAMPLE, request_only=True)],
        responses={201: TicketIntakeResultSerializer, 200: OpenApiResponse(TicketIntakeResultSerializer,
                                                                             description="幂等重试：第一次登记的工单"),
                   **WRITE_ERRORS})
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100 or not key.isprintable():
            raise ValidationFailed("Idempotency-Key 最长 100 个可打印字符",
                                   fields={"Idempotency-Key": ["最长 100 个可打印字符"]})
        serializer = s.TicketIntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _intake_data(serializer.validated_data)
        try:
            ticket, created = services.ticket_register(actor=request.user, data=data, idempotency_key=key)
        except ValidationFailed as exc:
            exc.fields = _nest_customer(exc.fields)
            raise
        if not created:  # an idempotent replay: show the first ticket as it is now
            response = ticket_response(request, ticket.number)
        elif ticket.status != Status.REGISTERED:  # dispatched at once by grid routing: read it as it is now
            response = ticket_response(request, ticket.number, code=status.HTTP_201_CREATED)
        else:
            response = Response(s.TicketDetailSerializer(ticket, context={"request": request}).data,
                                status=status.HTTP_201_CREATED)
        response.data["outages"] = intake_outages(ticket)  # the outages covering the caller (outages app)
        return response


def _intake_data(d: dict) -> services.IntakeData:
    customer = d["customer"]
    return services.IntakeData(
        channel=d["channel"], kind=d["kind"], category=d.get("category"), severity=d.get("severity"),
        service_type=d.get("service_type", ""), received_at=d.get("received_at"),
        customer_name=customer["name"], customer_phone=customer.get("phone", ""),
        account_no=customer.get("account_no", ""), address=customer.get("address", ""),
        description=d["description"], mood=d.get("mood") or "calm", service_area=d.get("service_area"),
        regulator_ref=d.get("regulator_ref", ""), regulator_due_at=d.get("regulator_due_at"),
        paid_at=d.get("paid_at"), wide_impact=d.get("wide_impact", False))


class TicketBatchApi(ApiView):
    """POST several tickets at once: how another system (the 95598 platform, a 12398 transfer
    interface) hands over what it received."""

    @extend_schema(
        tags=[TAG_TICKETS], summary="批量受理登记", operation_id="tickets_batch_create",
        description="一次登记 1–100 张工单，规则与单条受理相同(编号、重复/越级识别、时限)。每条单独校验："
                    "有误的一条答复 invalid 及原因，不影响其他条；results 与 tickets 一一对应、顺序相同。"
                    "每条可带 idempotency_key，重试时已登记的答复 existing，不会重复登记。",
        parameters=[LANG_PARAM], request=s.TicketBatchSerializer,
        responses={200: inline_serializer("TicketBatchResponse", {
            "created": serializers.IntegerField(), "existing": serializers.IntegerField(),
            "invalid": serializers.IntegerField(), "results": s.TicketBatchResultSerializer(many=True)}),
            **WRITE_ERRORS})
    def post(self, request):
        items = request.data.get("tickets") if isinstance(request.data, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= services.MAX_BATCH:
            raise ValidationFailed(f"tickets 须为 1–{services.MAX_BATCH} 条工单的列表",
                                   fields={"tickets": [f"须为 1–{services.MAX_BATCH} 条工单的列表"]})
        results, valid = [None] * len(items), []
        # One serializer checks every item (its fields are built once) against categories read once.
        categories = {c.code: c for c in Category.objects.filter(active=True, parent__isnull=False)
                      .select_related("parent")}
        checker = s.TicketBatchItemSerializer(context={"categories": categories})
        for index, item in enumerate(items):
            try:
                valid.append((index, checker.run_validation(item)))
            except exceptions.ValidationError as exc:
                results[index] = _invalid(index, invalid_error(exc.detail))
        outcomes = services.tickets_register(
            actor=request.user, items=[(_intake_data(d), d["idempotency_key"].strip()) for _i, d in valid])
        for (index, _d), outcome in zip(valid, outcomes, strict=True):
            if isinstance(outcome, ValidationFailed):
                fields = _nest_customer(outcome.fields)
                results[index] = _invalid(index, {"code": outcome.code, "message": outcome.message, "fields": fields})
            else:
                ticket, created = outcome
                results[index] = {"index": index, "result": "created" if created else "existing",
                                  "number": ticket.number, "url": reverse("api-ticket-detail", args=[ticket.number]),
                                  "error": None}
        counts = {name: sum(1 for r in results if r["result"] == name) for name in ("created", "existing", "invalid")}
        return Response({**counts, "results": results})


def _invalid(index: int, error: dict) -> dict:
    return {"index": index, "result": "invalid", "number": None, "url": None, "error": error}


_CUSTOMER_FIELDS = {"customer_name": "name", "customer_phone": "phone", "account_no": "account_no",
                    "address": "address"}


def _nest_customer(fields: dict) -> dict:
    """The service names customer fields flat (customer_phone); the API nests them (customer.phone)."""
    out, customer = {}, {}
    for key, value in fields.items():
        if key in _CUSTOMER_FIELDS:
            customer[_CUSTOMER_FIELDS[key]] = value
        else:
            out[key] = value
    if customer:
        out["customer"] = customer
    return out


class TicketDetailApi(ApiView):
    @extend_schema(tags=[TAG_TICKETS], summary="工单详情", operation_id="tickets_retrieve",
                   description="工单全部信息：状态、时限(clocks)、关联工单(links)、处理记录(timeline)、附件、"
                               "当前用户可执行的动作(allowed_actions)与版本号(version)。"
                               "不存在或不在您可见范围内的工单一律答复 404。",
                   parameters=[NUMBER_PARAM, LANG_PARAM],
                   responses={200: s.TicketDetailSerializer, **READ_ERRORS})
    def get(self, request, number):
        return ticket_response(request, check_number(number))


# --- workflow actions -------------------------------------------------------------------

class TicketActionApi(ApiView):
    """POST /tickets/{number}/<slug>/: validate the body, call the action's service, answer the ticket."""

    action = None  # complaints.actions.Action

    def post(self, request, number):
        check_number(number)
        serializer = self.action.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        self.action.call(ticket=number, actor=request.user, expected_version=version, data=data)
        return ticket_response(request, number)


def _action_view(action: Action) -> type[TicketActionApi]:
    """The API class of one declared action: its own class, so that it is its own schema operation."""
    def post(self, request, number):
        return TicketActionApi.post(self, request, number)

    post = extend_schema(
        tags=[TAG_ACTIONS], summary=str(action.label), operation_id=f"tickets_{action.name}",
        description=action.description + "\n\n可带 `version`(详情中的版本号)：与当前版本不一致时答复 409(code=stale)。"
                                         "\n状态不允许时答复 409(code=invalid_transition)；角色无权答复 403。"
                                         "成功答复更新后的工单。",
        parameters=[NUMBER_PARAM, LANG_PARAM], request=action.serializer_class,
        responses={200: s.TicketDetailSerializer, **WRITE_ERRORS})(post)
    name = "Ticket" + "".join(part.title() for part in action.name.split("_")) + "Api"
    doc = f"{action.label}: POST /api/v1/tickets/{{number}}/{action.slug}/"
    return type(name, (TicketActionApi,), {"action": action, "post": post, "__doc__": doc})


# Actions with an own view (multipart bodies) are routed to it by api_urls.
ACTION_VIEWS = {a.name: _action_view(a) for a in API_ACTIONS if not a.api_view}


# --- attachments ----------------------------------------------------------------------------

class TicketAttachmentUploadApi(ApiView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(tags=[TAG_TICKETS], summary="上传附件", operation_id="tickets_attachments_create",
                   description="multipart/form-data 上传一个证据文件(字段名 file)。类型按扩展名和内容双重检查，"
                               "大小有上限。答复更新后的工单。",
                   parameters=[NUMBER_PARAM, LANG_PARAM],
                   request={"multipart/form-data": s.AttachmentUploadSerializer},
                   responses={201: s.TicketDetailSerializer, **WRITE_ERRORS})
    def post(self, request, number):
        check_number(number)
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.attachment_add(ticket=number, actor=request.user, upload=serializer.validated_data["file"])
        return ticket_response(request, number, code=status.HTTP_201_CREATED)


class TicketOnsiteInvestigationApi(ApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=[TAG_ACTIONS], summary="登记现场调查", operation_id="tickets_onsite_investigation",
                   description="multipart/form-data：调查人员(investigators)、调查时间(visited_at)、调查情况(findings)、"
                               "现场照片(photos，jpg/png，可多张)。需现场调查的工单(onsite_required)须在本轮派发后"
                               "登记现场调查，才能提交答复(否则答复 400，code=onsite_required)。答复更新后的工单。",
                   parameters=[NUMBER_PARAM, LANG_PARAM],
                   request={"multipart/form-data": s.OnsiteInvestigationInSerializer},
                   responses={200: s.TicketDetailSerializer, **WRITE_ERRORS})
    def post(self, request, number):
        access_ticket(request.user, check_number(number))  # 404 before the body is even parsed
        serializer = s.OnsiteInvestigationInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        services.ticket_onsite_investigation(ticket=number, actor=request.user, expected_version=version, **data)
        return ticket_response(request, number)


class TicketAttachmentDownloadApi(ApiView):
    @extend_schema(tags=[TAG_TICKETS], summary="下载附件", operation_id="tickets_attachments_retrieve",
                   description="以附件方式(Content-Disposition: attachment)下载，浏览器不会直接打开。",
                   parameters=[NUMBER_PARAM, LANG_PARAM,
                               OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description="附件 id")],
                   responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                                 description="文件内容"),
                              **READ_ERRORS, **E403})
    def get(self, request, number, attachment_id):
        ticket = access_ticket(request.user, check_number(number))
        attachment = next(iter(visible_attachments(request.user, ticket,
                                                   ticket.attachments.filter(pk=check_id(attachment_id)))), None)
        if attachment is None:
            raise NotFound("附件不存在")
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise NotFound("附件文件已丢失") from None
        response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                                content_type=attachment.content_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response



class AccessLogPagination(KeysetPagination):
    key = "at"
    page_size = 100
    max_page_size = 500


class AccessLogListApi(ApiView):
    """敏感信息访问记录 for audit systems: the supervision office and the discipline office only."""

    pagination_class = AccessLogPagination

    @extend_schema(
        tags=[TAG_REFERENCE], summary="敏感信息访问记录", operation_id="access_log_list",
        description="谁在何时查看了完整电话号码(reveal)或按电话、户号查询了工单(search，只保存查询摘要)。"
                    "仅督办部门、纪检监察部门可读。可按 user(登录名)、ticket(工单编号)、action、at_from、at_to 筛选；"
                    "游标分页。",
        parameters=[OpenApiParameter(name, OpenApiTypes.STR) for name in ("user", "ticket", "action")]
        + [OpenApiParameter(name, OpenApiTypes.DATE) for name in ("at_from", "at_to")],
        responses={200: s.AccessLogSerializer(many=True), **READ_ERRORS, **E403})
    def get(self, request):
        if not holds(request.user, "complaints.view_access_log"):
            raise PermissionDenied(gettext("您的角色无权查看敏感信息访问记录"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.access_log(request.user, request.query_params), request, view=self)
        return paginator.get_paginated_response(s.AccessLogSerializer(page, many=True).data)


# --- investigation tasks, on the side of the unit they are addressed to --------------------

TASK_ID_PARAM = OpenApiParameter("task_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="调查任务编号")


class InvestigationPagination(KeysetPagination):
    key = "issued_at"


def _task_reader(user) -> None:
    if not holds(user, "complaints.handle_ticket"):
        raise PermissionDenied(gettext("您的角色无权查看调查任务"))


class InvestigationListApi(ApiView):
    """调查任务 addressed to the caller's unit subtree (the matter only; the report stays hidden)."""

    pagination_class = InvestigationPagination

    @extend_schema(
        tags=[TAG_TICKETS], summary="调查任务列表", operation_id="investigations_list",
        description="纪检监察部门交本单位及下级单位调查的事项(承办人员、单位负责人)。只含调查事项、期限与答复，"
                    "不含举报件、其编号和举报人。可按 state(open / answered / closed)筛选；游标分页。",
        parameters=[LANG_PARAM, OpenApiParameter("state", OpenApiTypes.STR, enum=["open", "answered", "closed"])],
        responses={200: s.InvestigationTaskSerializer(many=True), **READ_ERRORS, **E403})
    def get(self, request):
        _task_reader(request.user)
        qs = investigation_tasks(request.user).prefetch_related("files")
        state = request.query_params.get("state", "")
        if state == "open":
            qs = qs.filter(closed_at__isnull=True, answered_at__isnull=True)
        elif state == "answered":
            qs = qs.filter(closed_at__isnull=True, answered_at__isnull=False)
        elif state == "closed":
            qs = qs.filter(closed_at__isnull=False)
        elif state:
            raise ValidationFailed(gettext("state 须为 open、answered 或 closed"),
                                   fields={"state": [gettext("须为 open、answered 或 closed")]})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.InvestigationTaskSerializer(page, many=True).data)


class InvestigationDetailApi(ApiView):
    @extend_schema(tags=[TAG_TICKETS], summary="调查任务详情", operation_id="investigations_retrieve",
                   description="一项调查任务；不在本单位及下级单位的任务一律答复 404。",
                   parameters=[TASK_ID_PARAM, LANG_PARAM],
                   responses={200: s.InvestigationTaskSerializer, **READ_ERRORS, **E403})
    def get(self, request, task_id):
        _task_reader(request.user)
        task = investigation_task(request.user, check_id(task_id))
        return Response(s.InvestigationTaskSerializer(task).data)


class InvestigationAnswerApi(ApiView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(tags=[TAG_ACTIONS], summary="答复调查任务", operation_id="investigations_answer",
                   description="调查单位答复调查任务：调查情况(findings)，可带附件(files，multipart/form-data，"
                               "类型与大小检查同工单附件)。已答复答复 409(task_answered)，"
                               "已办结答复 409(task_closed)。",
                   parameters=[TASK_ID_PARAM, LANG_PARAM],
                   request={"multipart/form-data": s.InvestigationAnswerSerializer,
                            "application/json": s.InvestigationAnswerSerializer},
                   responses={200: s.InvestigationTaskSerializer, **WRITE_ERRORS})
    def post(self, request, task_id):
        _task_reader(request.user)
        task_id = check_id(task_id)
        investigation_task(request.user, task_id)  # 404 before the body is parsed
        serializer = s.InvestigationAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.investigation_answer(task_id=task_id, actor=request.user, **serializer.validated_data)
        return Response(s.InvestigationTaskSerializer(task).data)
