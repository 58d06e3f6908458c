"""POST endpoints for the workflow actions. Each parses its form and calls the one service
function; the page's ticket.version is passed as expected_version so a stale page changes nothing."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from complaints import services as s
from complaints.forms import AttachmentForm
from complaints.models import Status
from complaints.services.followup import followup_record
from complaints.services.major import major_report_submit
from complaints.services.supervision import supervision_close, supervision_reply
from complaints.services.workflow import TRANSITIONS
from core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed

from .common import safe_next
from .detail import ACTION_FORMS, build_form, find, load, render_detail

DONE = {
    "dispatch": gettext_lazy("已派发至 {unit}"), "return": gettext_lazy("已退单"),
    "contact": gettext_lazy("已记录联系情况"), "reply": gettext_lazy("已提交答复"),
    "review": gettext_lazy("审核已提交"), "callback": gettext_lazy("回访结果已保存"),
    "withdraw": gettext_lazy("已撤诉"), "close": gettext_lazy("已直接办结"),
    "assign": gettext_lazy("已指定承办人"), "extend": gettext_lazy("延期申请已提交"),
    "extension_decision": gettext_lazy("延期审批已提交"), "supervise": gettext_lazy("已下发"),
    "chase": gettext_lazy("已登记催办"), "add_info": gettext_lazy("已保存补充内容"), "note": gettext_lazy("已保存备注"),
    "responsibility": gettext_lazy("责任认定已保存"), "order_reply": gettext_lazy("督办答复已提交"),
    "order_close": gettext_lazy("督办单已办结"), "major_report": gettext_lazy("重大事件快报已报送"),
    "major_summary": gettext_lazy("当日简要情况已报送"), "change_finding": gettext_lazy("核实结论已变更"),
    "onsite_investigation": gettext_lazy("现场调查已登记"), "followup": gettext_lazy("跟踪回访结果已保存"),
    "investigate": gettext_lazy("调查任务已下发"), "conclude": gettext_lazy("调查结论已作出，举报已办结"),
}


def _call(action, *, ticket, actor, d, version):
    common = {"ticket": ticket, "actor": actor, "expected_version": version}
    calls = {
        "dispatch": lambda: s.ticket_dispatch(unit=d["unit"], note=d.get("note", ""), **common),
        "return": lambda: s.ticket_return(reason=d["reason"], **common),
        "contact": lambda: s.ticket_contact(method=d["method"], note=d.get("note", ""),
                                            reached=d["reached"] is not False, **common),
        "reply": lambda: s.ticket_reply(substantiated=d["substantiated"], cause=d["cause"], measures=d["measures"],
                                        reply_text=d["reply_text"], **common),
        "review": lambda: s.ticket_review(approved=bool(d["approved"]), comment=d.get("comment", ""), **common),
        "callback": lambda: s.ticket_callback(result=d["result"], note=d.get("note", ""), **common),
        "withdraw": lambda: s.ticket_withdraw(reason=d["reason"], **common),
        "close": lambda: s.ticket_close(reply_text=d["reply_text"], **common),
        "assign": lambda: s.ticket_assign(handler=d["handler"], **common),
        "extend": lambda: s.ticket_extension_request(days=d["days"], reason=d["reason"], **common),
        "extension_decision": lambda: s.ticket_extension_decide(approved=bool(d["approved"]), note=d.get("note", ""),
                                                                **common),
        "supervise": lambda: s.ticket_supervise(kind=d["kind"], content=d["content"], due_at=d.get("due_at"),
                                                **common),
        "chase": lambda: s.ticket_chase(note=d.get("note", ""), **common),
        "add_info": lambda: s.ticket_add_info(text=d["text"], **common),
        "note": lambda: s.ticket_note(text=d["text"], **common),
        "responsibility": lambda: s.ticket_responsibility(
            at_fault=d["at_fault"], unit=d.get("unit"), person=d.get("person", ""), decision=d.get("decision", ""),
            note=d.get("note", ""), **common),
        "order_reply": lambda: supervision_reply(order_id=d["order"], text=d["text"], **common),
        "order_close": lambda: supervision_close(order_id=d["order"], note=d.get("note", ""), **common),
        "major_report": lambda: major_report_submit(kind="flash", **d, **common),
        "major_summary": lambda: major_report_submit(kind="summary", **d, **common),
        "onsite_investigation": lambda: s.ticket_onsite_investigation(
            investigators=d["investigators"], visited_at=d["visited_at"], findings=d["findings"], photos=d["photos"],
            **common),
        "change_finding": lambda: s.ticket_change_finding(substantiated=d["substantiated"], reason=d["reason"],
                                                          **common),
        "followup": lambda: followup_record(result=d["result"], note=d.get("note", ""), **common),
        "investigate": lambda: s.investigation_issue(unit=d["unit"], matter=d["matter"], due_at=d["due_at"], **common),
        "conclude": lambda: s.report_conclude(substantiated=d["substantiated"], conclusion=d["conclusion"], **common),
    }
    return calls[action]()


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def act(request, number, action):
    if action not in ACTION_FORMS:
        raise Http404(gettext("未知操作"))
    user = request.user
    ticket = find(user, number)
    detail_url = reverse("complaints:detail", args=[ticket.number])
    back = safe_next(request, detail_url)
    transition = TRANSITIONS[action]
    if not user.has_perm(transition.permission):
        messages.error(request, gettext("您的角色无权执行「%(action)s」") % {"action": transition.label})
        return render_detail(request, load(user, number), status=403)
    version = _version(request)
    if version is None:
        messages.error(request, gettext("该工单已被他人修改，请刷新后重试"))
        return redirect(detail_url)
    form = build_form(action, user, ticket, data=request.POST, files=request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("「%(action)s」未提交：请检查标红的项目") % {"action": transition.label})
        return render_detail(request, load(user, number), bound={action: form}, status=400)
    try:
        updated = _call(action, ticket=ticket, actor=user, d=form.cleaned_data, version=version)
    except NotFound:
        raise Http404(gettext("工单不存在或无权查看")) from None
    except ValidationFailed as exc:
        form.apply_errors(exc.fields)
        messages.error(request, exc.message)
        return render_detail(request, load(user, number), bound={action: form}, status=400)
    except PermissionDenied as exc:
        messages.error(request, exc.message)
        return render_detail(request, load(user, number), status=403)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(detail_url)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(detail_url)
    unit = getattr(updated.unit, "name", "") if updated.unit_id else ""
    done = DONE[action]
    if action == "callback" and updated.status == Status.DISPATCHED:
        done = gettext("回访不满意，已重新派发至 {unit}")
    elif action == "callback" and updated.status == Status.ARCHIVED:
        done = gettext("回访完成，工单已归档")
    elif action == "review" and updated.status == Status.CONTACTED:
        done = gettext("答复已退回承办单位重新答复")
    messages.success(request, gettext("工单 %(number)s：%(result)s")
                     % {"number": updated.number, "result": done.format(unit=unit)})
    return redirect(back)


@login_required
@require_POST
def attachment_upload(request, number):
    ticket = find(request.user, number)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("请选择要上传的文件"))
        return render_detail(request, load(request.user, number), bound={"attach": form}, status=400)
    try:
        attachment = s.attachment_add(ticket=ticket, actor=request.user, upload=form.cleaned_data["file"])
    except NotFound:
        raise Http404(gettext("工单不存在或无权查看")) from None
    except ValidationFailed as exc:
        form.apply_errors(exc.fields)
        messages.error(request, exc.message)
        return render_detail(request, load(request.user, number), bound={"attach": form}, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("complaints:detail", ticket.number)
    messages.success(request, gettext("已上传附件「%(name)s」") % {"name": attachment.name})
    return redirect("complaints:detail", ticket.number)
