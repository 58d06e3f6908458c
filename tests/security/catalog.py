"""Every URL pattern of the project, classified for the access tests.

test_access_matrix.test_every_url_pattern_is_classified fails when a pattern appears that is not
listed here — a new endpoint must be classified (and so covered) before it can ship.

kind:   public  — no sign-in needed (health, login, language)
        page    — HTML page for signed-in users
        file    — page-side download (export / attachment / xlsx)
        api     — under /api/v1/, token or session
        admin   — Django admin (staff only), recognised by prefix, not listed
scope:  ticket  — takes a ticket <number>: 404 for a ticket outside the user's subtree
        own     — an object that belongs to the requesting user (export job, notification): 404 for others
        unit    — an object addressed to the user's unit subtree (an investigation task): 404 for others
        report  — figures scoped to the user's subtree (`?unit=` outside it: 404)
        list    — lists tickets: must never include one outside the subtree
        none    — nothing scoped
action: the workflow action (complaints.actions.ACTIONS key) a POST route performs
"""
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from complaints.actions import ACTIONS


@dataclass(frozen=True)
class Route:
    kind: str
    scope: str = "none"
    methods: tuple[str, ...] = ("GET",)
    action: str = ""


# Each declared action's own API route (uploads have theirs, listed below).
API_ACTIONS = {a.slug: a.name for a in ACTIONS.values() if not a.own_routes}

CATALOG: dict[str, Route] = {
    # public
    "healthz": Route("public"),
    "login": Route("public", methods=("GET", "POST")),
    "logout": Route("public", methods=("POST",)),
    "set_language": Route("public", methods=("POST",)),
    "home": Route("public"),  # redirects to login or to the user's start page
    # API: meta and lookups
    "api-schema": Route("api"),
    "api-docs": Route("api"),
    "api-token": Route("api", methods=("POST",)),
    "api-tokens": Route("api", "own"),
    "api-token-revoke": Route("api", "own", ("DELETE",)),
    "api-me": Route("api"),
    "api-units": Route("api"),
    "api-categories": Route("api"),
    "api-calendar-add-working-days": Route("api"),
    # API: tickets
    "api-tickets": Route("api", "list", ("GET", "POST")),
    "api-tickets-batch": Route("api", "none", ("POST",)),  # intake only: answers numbers, lists nothing
    "api-tickets-bulk": Route("api", "none", ("POST",)),  # each number through its action's service (404 → not_found)
    "api-access-log": Route("api", "list"),  # supervision and discipline offices only
    "api-ticket-detail": Route("api", "ticket"),
    "api-ticket-attachments": Route("api", "ticket", ("POST",), "attach"),
    "api-ticket-attachment": Route("api", "ticket"),
    **{f"api-ticket-{slug}": Route("api", "ticket", ("POST",), action) for slug, action in API_ACTIONS.items()},
    # API: investigation tasks, on the side of the unit they are addressed to (never the report)
    "api-investigations": Route("api", "list"),  # lists tasks of the user's subtree
    "api-investigation": Route("api", "unit"),
    "api-investigation-answer": Route("api", "unit", ("POST",)),
    # API: reports and notifications
    "reports-summary": Route("api", "report"),
    "reports-bulletin": Route("api", "report"),
    "api-notifications": Route("api", "own"),
    "api-notification-read": Route("api", "own", ("POST",)),
    # API: outage events (areas and causes, no customer data; writes scoped to the responsible unit)
    "api-outages": Route("api", "none", ("GET", "POST")),
    "api-outage-detail": Route("api", "none", ("GET", "PATCH")),
    "api-outage-restore": Route("api", "none", ("POST",)),
    # API: risk (risk app)
    "api-risk": Route("api", "list"),
    "api-risk-follow-up": Route("api", "none", ("POST",)),  # each number checked by the transition service
    "api-risk-sensitive": Route("api", "list", ("GET", "POST")),  # customers with their tickets of the scope
    "api-risk-sensitive-remove": Route("api", "none", ("POST",)),  # a hand-made mark (customer-level)
    "api-ledger-12398": Route("api", "report"),  # 12398 transfers of the scope (ticket_scope) and per-million
    # API: 常用语 filled for ?ticket=<number>, read through access_ticket (404 outside the subtree)
    "api-phrases": Route("api"),
    # API: knowledge base (published articles; no customer data)
    "api-knowledge-articles": Route("api"),
    "api-knowledge-article": Route("api"),
    # pages
    "complaints:intake": Route("page", methods=("GET", "POST")),
    "complaints:earlier": Route("page", "list"),
    "complaints:intake_clocks": Route("page"),  # computes from the form's fields, reads no ticket
    "complaints:dispatch_queue": Route("page", "list"),
    "complaints:dispatch_rows": Route("page", "list"),  # the queue's rows alone (live refresh)
    "complaints:my_work": Route("page", "list"),
    "complaints:my_work_rows": Route("page", "list"),  # the queue's rows alone (live refresh)
    "complaints:bulk": Route("page", "none", ("POST",)),  # each number through its action's service (404 → refused)
    "complaints:supervision": Route("page", "list"),
    "complaints:list": Route("page", "list"),
    "complaints:access_log": Route("page", "list"),  # supervision and discipline offices only
    "complaints:investigations": Route("page", "list"),  # tasks of the user's subtree
    "complaints:investigation": Route("page", "unit", ("GET", "POST")),
    "complaints:detail": Route("page", "ticket"),
    "complaints:reveal_phone": Route("page", "ticket", ("POST",)),
    "complaints:attachment_upload": Route("page", "ticket", ("POST",), "attach"),
    "complaints:attachment_download": Route("file", "ticket"),
    "complaints:act": Route("page", "ticket", ("POST",)),
    "sla:calculator": Route("page"),
    "sla:holiday_import": Route("page", methods=("GET", "POST")),  # administrators and the supervision office
    "reports:dashboard": Route("page", "report"),
    "reports:bulletin": Route("page", "report"),
    "reports:bulletin_xlsx": Route("file", "report"),
    "reports:export_list": Route("page", "own"),
    "reports:export_tickets": Route("file", "list", methods=("GET", "POST")),
    "reports:export_detail": Route("page", "own"),
    "reports:export_download": Route("file", "own"),
    "outages:board": Route("page"),  # outage events: areas and causes, no customer data
    "outages:create": Route("page", methods=("GET", "POST")),
    "outages:edit": Route("page", methods=("GET", "POST")),  # events of the user's subtree only (404)
    "outages:restore": Route("page", methods=("POST",)),
    "outages:frequent": Route("page"),
    "outages:intake_match": Route("page"),  # events for the form's address / account; reads no ticket
    "outages:intake_call": Route("page", methods=("POST",)),  # intake of an outage enquiry
    "accounts:tokens": Route("page", "own"),
    "accounts:token_revoke": Route("page", "own", ("POST",)),
    "knowledge:search": Route("page"),  # published articles only
    "knowledge:mine": Route("page"),  # the articles of the user's subtree
    "knowledge:create": Route("page", methods=("GET", "POST")),
    "knowledge:detail": Route("page"),  # published, or of the user's subtree (404 else)
    "knowledge:edit": Route("page", methods=("GET", "POST")),
    "knowledge:transition": Route("page", methods=("POST",)),
    "knowledge:intake_suggest": Route("page"),  # articles for the typed description; reads no ticket
    "knowledge:intake_answer": Route("page", methods=("POST",)),  # intake of an enquiry answered from an article
    "notifications:list": Route("page", "own"),
    "notifications:bell": Route("page", "own"),  # the user's own unread counts, polled by htmx
    "notifications:mark_all_read": Route("page", "own", ("POST",)),
    "notifications:open": Route("page", "own", ("POST",)),
    "risk:list": Route("page", "list"),
    "risk:follow_up": Route("page", "none", ("POST",)),  # each number checked by the transition service
    "risk:ledger": Route("page", "report"),
    "risk:ledger_xlsx": Route("file", "report"),
    "risk:ledger_act": Route("page", "ticket", ("POST",)),
    "risk:calibration": Route("page"),  # aggregate measures over archived tickets; no ticket listed
    "risk:interviews": Route("page", "report"),  # units of the user's home subtree
    "risk:interviews_xlsx": Route("file", "report"),
    "risk:sensitive": Route("page", "list"),  # supervision office; customers from ticket_scope
    "risk:sensitive_mark": Route("page", "none", ("POST",)),
    "risk:sensitive_remove": Route("page", "none", ("POST",)),
}


def all_patterns():
    """(route, name) for every URL pattern; the admin's are named 'admin:…'."""
    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield prefix + str(p.pattern), name

    return list(walk(get_resolver().url_patterns))


def project_patterns():
    return [(route, name) for route, name in all_patterns() if not route.startswith("admin/")]


# Every DRF serializer of the project, classified for the confidentiality test
# (test_confidentiality.test_every_serializer_is_classified fails on a new or removed one):
#   input   — reads a request body; shows nothing
#   plain   — shows no customer data, links, timeline or attachments
#   policy  — shows customer data, links, timeline or attachments, and only through complaints.policy
#             (those fields are method fields that call it; the matrix test renders them as every role)
SERIALIZERS: dict[str, str] = {
    "accounts.api.ApiTokenSerializer": "plain",  # the user's own tokens: a prefix and dates
    "accounts.api.MeSerializer": "plain",
    "accounts.api.TokenInSerializer": "input",
    "accounts.api.TokenOutSerializer": "plain",
    "accounts.api.UnitSerializer": "plain",
    "core.api_base.ErrorBodySerializer": "plain",
    "core.api_base.ErrorSerializer": "plain",
    "complaints.api.bulk.TicketBulkInSerializer": "input",
    "complaints.api.bulk.TicketBulkOutSerializer": "plain",  # counts and TicketBulkResultSerializer rows
    "complaints.api.bulk.TicketBulkResultSerializer": "plain",  # number, result code and message; no customer data
    "complaints.api.serializers.AccessLogSerializer": "plain",  # who, when, which ticket number; no customer data
    "complaints.api.serializers.AddInfoSerializer": "input",
    "complaints.api.serializers.AssignSerializer": "input",
    "complaints.api.serializers.RequestOnsiteSerializer": "input",
    "complaints.api.serializers.AttachmentSerializer": "plain",  # rendered only through TicketDetailSerializer
    "complaints.api.serializers.AttachmentUploadSerializer": "input",
    "complaints.api.serializers.CallbackSerializer": "input",
    "complaints.api.serializers.CategoryRefSerializer": "plain",
    "complaints.api.serializers.CategorySerializer": "plain",
    "complaints.api.serializers.ChangeFindingSerializer": "input",
    "complaints.api.serializers.ChaseSerializer": "input",
    "complaints.api.serializers.ClockSerializer": "plain",
    "complaints.api.serializers.CloseSerializer": "input",
    "complaints.api.serializers.ContactSerializer": "input",
    "complaints.api.serializers.CustomerInSerializer": "input",
    "complaints.api.serializers.CustomerOutSerializer": "plain",  # the shape of policy.customer_view
    "complaints.api.serializers.DispatchSerializer": "input",
    "complaints.api.serializers.EventSerializer": "plain",  # rendered only through TicketDetailSerializer
    "complaints.api.serializers.ExtendSerializer": "input",
    "complaints.api.serializers.ExtensionDecisionSerializer": "input",
    "complaints.api.serializers.FollowUpSerializer": "input",
    "complaints.api.serializers.MajorReportSerializer": "input",
    "complaints.api.serializers.MajorSummarySerializer": "input",
    "complaints.api.serializers.OrderCloseSerializer": "input",
    "complaints.api.serializers.OrderReplySerializer": "input",
    "complaints.api.serializers.InvestigateSerializer": "input",
    "complaints.api.serializers.ConcludeSerializer": "input",
    "complaints.api.serializers.InvestigationAnswerSerializer": "input",
    # The task as its unit reads it: the matter, never the report's number, complainant or attachments.
    "complaints.api.serializers.InvestigationTaskSerializer": "plain",
    "complaints.api.serializers.InvestigationFileSerializer": "plain",  # the unit's own answer files
    "complaints.api.serializers.LinkSerializer": "plain",  # rendered only through TicketDetailSerializer
    "complaints.api.serializers.NoteSerializer": "input",
    "complaints.api.serializers.OnsiteInvestigationInSerializer": "input",
    "complaints.api.serializers.OnsiteInvestigationSerializer": "plain",  # only inside TicketDetailSerializer
    "complaints.api.serializers.ReplySerializer": "input",
    "complaints.api.serializers.ResponsibilitySerializer": "input",
    "complaints.api.serializers.ReturnSerializer": "input",
    "complaints.api.serializers.MarkDuplicateSerializer": "input",
    "complaints.api.serializers.UnmarkDuplicateSerializer": "input",
    "complaints.api.serializers.ReviewSerializer": "input",
    "complaints.api.serializers.ServiceAreaRefSerializer": "plain",
    "complaints.api.serializers.SuperviseSerializer": "input",
    "complaints.api.serializers.TicketBatchItemSerializer": "input",
    "complaints.api.serializers.TicketBatchResultSerializer": "plain",
    "complaints.api.serializers.TicketBatchSerializer": "input",
    "complaints.api.serializers.TicketDetailSerializer": "policy",
    "complaints.api.serializers.TicketIntakeSerializer": "input",
    "complaints.api.serializers.TicketListSerializer": "policy",
    "complaints.api.serializers.UnitRefSerializer": "plain",
    "complaints.api.serializers.UserRefSerializer": "plain",
    "complaints.api.serializers.WithdrawSerializer": "input",
    "notifications.api.NotificationSerializer": "plain",
    "knowledge.api.ArticleHitSerializer": "plain",
    "knowledge.api.ArticleQuerySerializer": "input",
    "knowledge.api.ArticleSerializer": "plain",
    "outages.api.OutageInSerializer": "input",
    "outages.api.OutageRestoreSerializer": "input",
    "outages.api.OutageSerializer": "plain",  # an event: areas, cause, times; no customer
    "outages.serializers.OutageBriefSerializer": "plain",
    "outages.serializers.TicketIntakeResultSerializer": "policy",  # TicketDetailSerializer + the matched events
    "risk.api.LedgerRowSerializer": "plain",  # regulator reference, dates, unit, states; no customer data
    "risk.api.LedgerSerializer": "plain",
    "risk.api.PerMillionSerializer": "plain",
    "risk.api.RiskFollowUpInSerializer": "input",
    "risk.api.RiskFollowUpOutSerializer": "plain",
    "risk.api.RiskRowSerializer": "plain",  # number, unit, category, score and factor labels; no customer data
    "risk.api.RiskPageSerializer": "plain",  # a page of RiskRowSerializer rows
    # Sensitive customers: the supervision office only (supervise_ticket), tickets of its scope, phones masked.
    "risk.api.SensitiveCustomerSerializer": "policy",
    "risk.api.SensitiveMarkSerializer": "policy",
    "risk.api.SensitiveTicketSerializer": "plain",  # number, dates, kind, channel, status
    "risk.api.SensitiveMarkInSerializer": "input",
    "risk.api.SensitiveRemoveInSerializer": "input",
    "risk.serializers.RiskFactorSerializer": "plain",
    "risk.serializers.TicketRiskSerializer": "plain",  # score and factor labels; no customer data
    "sla.api.WorkingDaysOutSerializer": "plain",
}
# Field names that carry a customer's identity or point at other records of the same customer.
PERSONAL_FIELDS = frozenset({"customer", "customer_name", "customer_phone", "phone", "account_no", "address",
                             "links", "timeline", "events", "attachments", "accountabilities"})
PROJECT_APPS = ("accounts", "complaints", "core", "notifications", "reports", "risk", "sla", "outages",
                "knowledge")


def project_serializers() -> dict[str, type]:
    """Every serializer class defined in the project (the URLconf imports every API module)."""
    from rest_framework.serializers import BaseSerializer

    get_resolver().url_patterns  # noqa: B018 — loads every view module, and so every serializer

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {f"{c.__module__}.{c.__qualname__}": c for c in walk(BaseSerializer)
            if c.__module__.split(".")[0] in PROJECT_APPS}
