"""Schemathesis against the app's own OpenAPI schema, in process (WSGI), as the `supervisor`
demo user: no 5xx for anything a client can send, and every response matches the schema.

Bounded for CI: MAX_EXAMPLES random cases per operation, no shrinking, no deadline. Most of the
6,800 cases come from the explicit phase (schemathesis' boundary and negative values of every
parameter and body field); each random case costs several times one of those to generate, and 15
rather than 25 per operation keeps the suite under four minutes. About half of the cases aim at
real tickets (in every state) instead of random numbers that would only ever 404.
The number of generated cases is printed at the end of the module."""
import itertools

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from tests.shared import register_sample, shared_rows

MAX_EXAMPLES = 15
CASES = {"count": 0, "by_status": {}}

with override_settings(API_DOCS_PUBLIC=True):  # loaded before any user exists
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    by_status = dict(sorted(CASES["by_status"].items()))
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nschemathesis: {CASES['count']} generated cases; responses by status {by_status}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Tickets in several states for the supervisor to act on, and the token it sends — made once
    for the module; each case's own changes roll back with its test."""
    from accounts.models import Unit, User
    from accounts.tokens import issue
    from complaints.models import Category
    from complaints.services import ticket_contact, ticket_dispatch, ticket_reply, ticket_review

    # The Django test client keeps the test transaction's connection open across requests;
    # a raw WSGI call would close it at request_finished. Do as the test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with shared_rows(django_db_blocker):
        lead, handler, supervisor, agent = (User.objects.get(username=n)
                                            for n in ("lead", "station_a", "supervisor", "agent"))
        station = Unit.objects.get(code="GS-A1-1")
        category = Category.objects.get(code="FW01")

        def make(**overrides):
            return register_sample(actor=agent, default_category=category, **overrides)

        def dispatched():
            return ticket_dispatch(ticket=make(), actor=lead, unit=station)

        def contacted():
            return ticket_contact(ticket=dispatched(), actor=handler, method="phone")

        def replied(substantiated):
            return ticket_reply(ticket=contacted(), actor=handler, substantiated=substantiated, cause="c",
                                measures="m", reply_text="r")

        tickets = [make(), make(kind="enquiry", category=None), make(kind="report"), dispatched(), contacted(),
                   replied(True), ticket_review(ticket=replied(False), actor=supervisor, approved=True)]
        yield {"numbers": itertools.cycle([t.number for t in tickets]), "token": issue(supervisor)[1]}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_and_never_500(case, world, db):
    CASES["count"] += 1
    if case.path_parameters and "number" in case.path_parameters and CASES["count"] % 2:
        case.path_parameters["number"] = next(world["numbers"])
    response = case.call(headers={"Authorization": f"Token {world['token']}"})
    CASES["by_status"][response.status_code] = CASES["by_status"].get(response.status_code, 0) + 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                           headers={"Authorization": f"Token {world['token']}"})
