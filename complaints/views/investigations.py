"""调查任务: the tasks the discipline office addressed to the user's unit, on the unit's side — the
matter and its deadline only, never the report, its number or who reported it — and their answer."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from complaints.forms import InvestigationAnswerForm
from complaints.policy import holds
from complaints.services.investigation import investigation_answer, investigation_task, investigation_tasks
from core.errors import ApplicationError, NotFound, ValidationFailed

PAGE_SIZE = 50


def _require_handler(user) -> None:
    if not holds(user, "complaints.handle_ticket"):  # a role's, not an administrator's
        raise DjangoPermissionDenied(gettext("您的角色无权访问此页面"))


@login_required
@require_GET
def investigation_list(request):
    _require_handler(request.user)
    page = Paginator(investigation_tasks(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/investigations.html", {"page": page, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def investigation_detail(request, task_id):
    _require_handler(request.user)
    try:
        task = investigation_task(request.user, task_id)
    except NotFound:
        raise Http404(gettext("调查任务不存在或无权查看")) from None
    form, status = InvestigationAnswerForm(), 200
    if request.method == "POST":
        form = InvestigationAnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                investigation_answer(task_id=task.pk, actor=request.user, findings=form.cleaned_data["findings"],
                                     files=form.cleaned_data["files"])
            except ValidationFailed as exc:
                form.apply_errors(exc.fields)
                messages.error(request, exc.message)
                status = 400
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("complaints:investigation", task.pk)
            else:
                messages.success(request, gettext("调查任务 %(id)s 已答复") % {"id": task.pk})
                return redirect("complaints:investigations")
        else:
            messages.error(request, gettext("答复未提交：请检查标红的项目"))
            status = 400
    return render(request, "complaints/investigation.html", {"task": task, "form": form, "now": timezone.now()},
                  status=status)
