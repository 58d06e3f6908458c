"""POST endpoints for the workflow actions. Each parses its form and calls the one service
function; the page's ticket.version is passed as expected_version so a stale page changes nothing."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from complaints import services as s
from complaints.actions import ACTIONS
from complaints.forms import AttachmentForm
from complaints.models import Status
from core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed

from .common import safe_next
from .detail import build_form, find, load, render_detail


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def act(request, number, action):
    declared = ACTIONS.get(action)
    if declared is None or not declared.form:
        raise Http404(gettext("未知操作"))
    user = request.user
    ticket = find(user, number)
    detail_url = reverse("complaints:detail", args=[ticket.number])
    back = safe_next(request, detail_url)
    if not user.has_perm(declared.permission):
        messages.error(request, gettext("您的角色无权执行「%(action)s」") % {"action": declared.label})
        return render_detail(request, load(user, number), status=403)
    version = _version(request)
    if version is None:
        messages.error(request, gettext("该工单已被他人修改，请刷新后重试"))
        return redirect(detail_url)
    form = build_form(action, user, ticket, data=request.POST, files=request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("「%(action)s」未提交：请检查标红的项目") % {"action": declared.label})
        return render_detail(request, load(user, number), bound={action: form}, status=400)
    try:
        updated = declared.call(ticket=ticket, actor=user, expected_version=version, data=form.cleaned_data)
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
    done = declared.done
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
