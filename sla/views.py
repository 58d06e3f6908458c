"""The working-day calculator page: an agent tells a caller the date a limit ends."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sla.calendar import known_years
from sla.forms import CalculatorForm
from sla.services import working_days_add


@login_required
def calculator(request):
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = working_days_add(start=data["start"], days=data["days"], unit=data["unit"])
    return render(request, "sla/calculator.html", {"form": form, "result": result, "known_years": known_years()})
