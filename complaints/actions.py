"""Every workflow action, declared once.

An action's declaration is the whole of what the rest of the code knows about it: the state rule the
service enforces (sources, targets, permission), the page's form and button, the API's input schema and
documentation, the service it calls and the message a user sees afterwards. The page forms and buttons
(views/detail.py), the page and API endpoints (views/actions.py, api/views.py, api_urls.py), the
OpenAPI operations and the security catalogue are all derived from `ACTIONS`.

Forms, serializers and services are named by dotted path and imported on first use, so this module
depends on nothing but the models: the service layer reads its state rules from here without a cycle.
Adding an action = one declaration here + its service (+ form and serializer) + tests.
"""
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from complaints.models import OPEN_STATUSES, Status

S = Status
OPEN = tuple(OPEN_STATUSES)
ANY = tuple(S.values)
NOT_DUPLICATE = tuple(s for s in S.values if s != S.DUPLICATE)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    permission: str
    targets: tuple[str, ...] = ()  # empty: the action records something, the status stays
    service: str = ""  # called as service(ticket=, actor=, expected_version=, **fixed, **input)
    form: str = ""  # the page's form; its cleaned_data are the service's keyword arguments
    serializer: str = ""  # the API's input; validated_data (less `version`) likewise
    done: str = ""  # the page's success message; {unit} = the handling unit's name
    button: str = ""
    confirm: str = ""  # asked before the page submits, for what cannot be taken back
    primary: bool = False  # the page shows its form first and open
    description: str = ""  # the API operation's description
    fixed: dict = field(default_factory=dict)
    api_view: str = ""  # an own API view (multipart bodies); default: the generic action view
    own_routes: bool = False  # page and API both have their own routes (uploads)

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")

    @cached_property
    def form_class(self):
        return import_string(self.form)

    @cached_property
    def serializer_class(self):
        return import_string(self.serializer)

    def call(self, *, ticket, actor, expected_version, data: dict):
        return import_string(self.service)(ticket=ticket, actor=actor, expected_version=expected_version,
                                           **self.fixed, **data)


_F, _SER, _SVC = "complaints.forms.", "complaints.api.serializers.", "complaints.services."


def _action(name, label, sources, permission, targets=(), *, service, form, serializer, **kw) -> Action:
    return Action(name, label, sources, permission, targets, service=_SVC + service, form=_F + form,
                  serializer=_SER + serializer if serializer else "", **kw)


_DECLARED = [
    # The closed loop, in the order its forms are offered.
    _action("major_report", _("重大事件快报"), ANY, "complaints.report_major", service="major_report_submit",
            form="MajorReportForm", serializer="MajorReportSerializer", fixed={"kind": "flash"},
            done=_("重大事件快报已报送"), button=_("报送快报"), primary=True,
            description="重大工单报送重大事件快报(事件经过、地点、影响范围、已采取措施)，发送上级单位督办部门，快报时限完成。"),
    _action("followup", _("跟踪回访"), (S.ARCHIVED,), "complaints.callback_ticket", service="followup_record",
            form="FollowUpForm", serializer="FollowUpSerializer", done=_("跟踪回访结果已保存"),
            button=_("保存跟踪回访"), primary=True, description="督办人员记录属实投诉归档半年后的跟踪回访结果。"),
    _action("conclude", _("举报调查结论"), OPEN, "complaints.investigate_report", (S.ARCHIVED,),
            service="report_conclude", form="ConcludeForm", serializer="ConcludeSerializer",
            done=_("调查结论已作出，举报已办结"), button=_("作出结论并办结"),
            confirm=_("确定作出调查结论并办结该举报？"), primary=True,
            description="纪检监察部门对举报作出结论(是否属实、调查结论)：举报归档，离开全部在办队列，未办结的调查任务随之办结。"),
    _action("dispatch", _("派发"), (S.REGISTERED, S.RETURNED), "complaints.dispatch_ticket", (S.DISPATCHED,),
            service="ticket_dispatch", form="DispatchForm", serializer="DispatchSerializer",
            done=_("已派发至 {unit}"), button=_("派发"), primary=True,
            description="受理班长/督办人员把已受理或已退单的工单派发给承办单位(unit 为单位编码)。"),
    _action("contact", _("联系客户"), (S.DISPATCHED, S.CONTACTED), "complaints.handle_ticket", (S.CONTACTED,),
            service="ticket_contact", form="ContactForm", serializer="ContactSerializer",
            done=_("已记录联系情况"), button=_("保存联系记录"), primary=True,
            description="承办人员记录与客户的联系；首次联系上(reached=true)后状态变为已联系，首次联系时限完成。"),
    _action("reply", _("答复"), (S.CONTACTED,), "complaints.handle_ticket", (S.REPLIED,), service="ticket_reply",
            form="ReplyForm", serializer="ReplySerializer", done=_("已提交答复"), button=_("提交答复"), primary=True,
            description="承办单位提交处理结果：是否属实、原因、处理措施、答复客户的内容。"),
    _action("review", _("审核"), (S.REPLIED,), "complaints.review_ticket", (S.REVIEWED, S.CONTACTED),
            service="ticket_review", form="ReviewForm", serializer="ReviewSerializer", done=_("审核已提交"),
            button=_("提交审核"), primary=True,
            description="督办人员审核答复：通过进入待回访；退回(approved=false，须填意见)则承办单位重新答复。"),
    _action("callback", _("回访"), (S.REVIEWED,), "complaints.callback_ticket", (S.ARCHIVED, S.DISPATCHED, S.REVIEWED),
            service="ticket_callback", form="CallbackForm", serializer="CallbackSerializer",
            done=_("回访结果已保存"), button=_("保存回访结果"), primary=True,
            description="督办人员回访客户：满意归档；不满意重新派发；未联系上记录次数。"),
    _action("extension_decision", _("审批延期"), (S.DISPATCHED, S.CONTACTED), "complaints.decide_extension",
            service="ticket_extension_decide", form="ExtensionDecideForm", serializer="ExtensionDecisionSerializer",
            done=_("延期审批已提交"), button=_("提交审批"), primary=True,
            description="督办人员批准或驳回待审批的延期申请；批准后处理时限顺延。"),
    _action("close", _("直接办结"), (S.REGISTERED,), "complaints.intake_ticket", (S.ARCHIVED,), service="ticket_close",
            form="CloseForm", serializer="CloseSerializer", done=_("已直接办结"), button=_("直接办结"),
            confirm=_("确定直接办结该工单？"), primary=True,
            description="咨询、表扬、建议、意见类工单在受理时当场答复并办结归档。"),
    # Everything else: collapsed on the page.
    _action("return", _("退单"), (S.DISPATCHED,), "complaints.handle_ticket", (S.RETURNED,), service="ticket_return",
            form="ReturnForm", serializer="ReturnSerializer", done=_("已退单"), button=_("退单"),
            confirm=_("确定退回该工单？"),
            description="承办单位在派发后规定工作日内退回不属于本单位的工单，须填写原因。"),
    _action("withdraw", _("撤诉"), OPEN, "complaints.withdraw_ticket", (S.WITHDRAWN,), service="ticket_withdraw",
            form="ReasonForm", serializer="WithdrawSerializer", done=_("已撤诉"), button=_("撤诉"),
            confirm=_("确定撤诉并关闭该工单？"), description="客户撤回诉求，工单终止，全部时限取消。"),
    _action("assign", _("指定承办人"), (S.DISPATCHED, S.CONTACTED), "complaints.handle_ticket",
            service="ticket_assign", form="AssignForm", serializer="AssignSerializer", done=_("已指定承办人"),
            button=_("指定"), description="承办单位指定本单位的承办人(handler 为登录名)。"),
    _action("extend", _("申请延期"), (S.DISPATCHED, S.CONTACTED), "complaints.handle_ticket",
            service="ticket_extension_request", form="ExtensionRequestForm", serializer="ExtendSerializer",
            done=_("延期申请已提交"), button=_("申请延期"),
            description="承办单位申请延长处理时限(工作日)，待督办人员审批。"),
    _action("supervise", _("督办/预警"), OPEN, "complaints.supervise_ticket", service="ticket_supervise",
            form="SuperviseForm", serializer="SuperviseSerializer", done=_("已下发"), button=_("下发"),
            description="督办人员对工单下发督办单或投诉风险预警单。"),
    _action("chase", _("客户催办"), OPEN, "complaints.intake_ticket", service="ticket_chase", form="ChaseForm",
            serializer="ChaseSerializer", done=_("已登记催办"), button=_("登记催办"),
            description="坐席记录客户来电催办，通知承办单位。"),
    _action("add_info", _("补充诉求"), OPEN, "complaints.intake_ticket", service="ticket_add_info", form="TextForm",
            serializer="AddInfoSerializer", done=_("已保存补充内容"), button=_("保存补充"),
            description="坐席记录客户补充的诉求内容，通知承办单位。"),
    _action("note", _("处理备注"), OPEN, "complaints.handle_ticket", service="ticket_note", form="TextForm",
            serializer="NoteSerializer", done=_("已保存备注"), button=_("保存备注"),
            description="承办人员添加处理备注(不改变状态)。"),
    _action("responsibility", _("责任认定"), (S.REPLIED, S.REVIEWED, S.ARCHIVED), "complaints.decide_responsibility",
            service="ticket_responsibility", form="ResponsibilityForm", serializer="ResponsibilitySerializer",
            done=_("责任认定已保存"), button=_("保存认定"),
            description="督办人员认定是否有责；有责须填写考核意见(decision)，可指定责任单位与责任人。"),
    _action("change_finding", _("变更核实结论"), (S.REPLIED, S.REVIEWED, S.ARCHIVED),
            "complaints.decide_responsibility",
            service="ticket_change_finding", form="ChangeFindingForm", serializer="ChangeFindingSerializer",
            done=_("核实结论已变更"), button=_("变更结论"), confirm=_("确定变更核实结论？"),
            description="督办人员变更答复的核实结论(属实/不属实)，须填写理由；改为不属实时清除有责认定。"
                        "不属实的工单须先变更为属实才能认定有责。"),
    _action("order_reply", _("答复督办"), OPEN, "complaints.handle_ticket", service="supervision_reply",
            form="OrderReplyForm", serializer="OrderReplySerializer", done=_("督办答复已提交"),
            button=_("提交督办答复"), description="承办单位答复一张在办督办单(order_id)：督办时限停止，不再升级。"),
    _action("order_close", _("督办办结"), OPEN, "complaints.supervise_ticket", service="supervision_close",
            form="OrderCloseForm", serializer="OrderCloseSerializer", done=_("督办单已办结"), button=_("督办办结"),
            confirm=_("确定办结该督办单？"), description="督办人员办结(销号)一张在办督办单(order_id)。"),
    _action("major_summary", _("当日简要情况"), ANY, "complaints.report_major", service="major_report_submit",
            form="MajorSummaryForm", serializer="MajorSummarySerializer", fixed={"kind": "summary"},
            done=_("当日简要情况已报送"), button=_("报送简要情况"),
            description="重大工单报送当日简要情况，发送上级单位督办部门，简要情况时限完成。"),
    _action("request_onsite", _("要求现场调查"), (S.DISPATCHED, S.CONTACTED), "complaints.supervise_ticket",
            service="ticket_request_onsite", form="RequestOnsiteForm", serializer="RequestOnsiteSerializer",
            done=_("已要求承办单位现场调查"), button=_("要求现场调查"),
            description="督办人员要求承办单位对工单开展现场调查(须填写原因)：承办单位须先登记现场调查才能答复。"),
    _action("onsite_investigation", _("登记现场调查"), (S.DISPATCHED, S.CONTACTED), "complaints.handle_ticket",
            service="ticket_onsite_investigation", form="OnsiteInvestigationForm", serializer="",
            api_view="complaints.api.views.TicketOnsiteInvestigationApi", done=_("现场调查已登记"),
            button=_("保存现场调查")),
    # 重复工单: the same call logged twice — out of the workflow and of every figure, reversibly.
    _action("mark_duplicate", _("标记为重复工单"), NOT_DUPLICATE, "complaints.intake_ticket", (S.DUPLICATE,),
            service="duplicate.ticket_mark_duplicate", form="MarkDuplicateForm", serializer="MarkDuplicateSerializer",
            done=_("已标记为重复工单，不再计入统计"), button=_("标记为重复"),
            confirm=_("确定标记为重复工单？该工单将退出办理流程，不计入任何统计(可撤销)。"),
            description="坐席、受理班长或督办人员把同一来电(来信、来访)重复登记的工单标记为原工单(original，最初受理的"
                        "工单编号)的重复工单，须填写原因：工单退出办理流程(状态 duplicate，时限停止，在办督办单办结)，"
                        "不计入任何统计(含重复投诉率)。原工单须可见、不是本工单、本身不是重复工单、且为同一客户(户号相同；"
                        "无户号时电话相同)；举报件不能标记。不符合时答复 400，字段 original。"),
    _action("unmark_duplicate", _("撤销重复标记"), (S.DUPLICATE,), "complaints.intake_ticket", NOT_DUPLICATE,
            service="duplicate.ticket_unmark_duplicate", form="UnmarkDuplicateForm",
            serializer="UnmarkDuplicateSerializer", done=_("已撤销重复标记，工单恢复原状态并重新计入统计"),
            button=_("撤销重复标记"), confirm=_("确定撤销重复标记？工单将恢复标记前的状态。"), primary=True,
            description="撤销重复工单标记(须填写原因)：工单恢复标记前的状态与被停止的时限，重新计入统计。"),
    # A misconduct report (举报): the discipline office asks a unit to investigate, then concludes.
    _action("investigate", _("下发调查任务"), OPEN, "complaints.investigate_report", service="investigation_issue",
            form="InvestigateForm", serializer="InvestigateSerializer", done=_("调查任务已下发"),
            button=_("下发调查任务"),
            description="纪检监察部门就举报件向被举报单位或其上级单位下发调查任务：调查单位(unit)、调查事项(matter)、"
                        "答复期限(due_at)。调查单位只看到调查事项和期限，看不到举报件、其编号和举报人；"
                        "调查事项写入举报人信息或举报件编号时答复 400。"),
    Action("attach", _("上传附件"), ANY, "complaints.view_ticket", service=_SVC + "attachment_add", own_routes=True),
]
ACTIONS: dict[str, Action] = {a.name: a for a in _DECLARED}
PAGE_ACTIONS = [a for a in _DECLARED if a.form]  # in the order the page offers them
API_ACTIONS = [a for a in _DECLARED if not a.own_routes]  # each at POST /api/v1/tickets/{number}/{slug}/
