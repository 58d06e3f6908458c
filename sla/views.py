"""The working-day calculator page (an agent tells a caller the date a limit ends) and the holiday
import page for administrators and the supervision office (next year's notice, in November)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from sla.calendar import can_import_holidays, known_years
from sla.forms import CalculatorForm, HolidayImportForm
from sla.services import working_days_add


@login_required
def calculator(request):
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = working_days_add(start=data["start"], days=data["days"], unit=data["unit"])
    return render(request, "sla/calculator.html", {"form": form, "result": result, "known_years": known_years()})


@login_required
def holiday_import(request):
    if not can_import_holidays(request.user):
        raise PermissionDenied
    form = HolidayImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and (imported := form.save(request.user)):
        year, count = imported
        messages.success(request, gettext("已导入 %(year)s 年节假日 %(count)s 条，日历已更新")
                         % {"year": year, "count": count})
        return redirect("sla:holiday_import")
    status = 400 if request.method == "POST" else 200
    return render(request, "sla/holiday_import.html", {"form": form, "known_years": known_years()}, status=status)
