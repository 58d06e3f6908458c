"""Every change to a ticket goes through these functions; views, the API, the admin and the
tasks call them and nothing else writes ticket state."""
from .followup import followup_record  # noqa: F401
from .intake import (  # noqa: F401
    MAX_BATCH,
    IntakeData,
    earlier_tickets,
    ticket_register,
    ticket_register_closed,
    tickets_register,
)
from .investigation import investigation_answer, investigation_issue, report_conclude  # noqa: F401
from .major import major_report_submit  # noqa: F401
from .onsite import ticket_onsite_investigation, ticket_request_onsite  # noqa: F401
from .supervision import supervision_close, supervision_reply, supervision_sweep, ticket_supervise  # noqa: F401
from .workflow import (  # noqa: F401
    allowed_actions,
    attachment_add,
    ticket_add_info,
    ticket_assign,
    ticket_callback,
    ticket_change_finding,
    ticket_chase,
    ticket_close,
    ticket_contact,
    ticket_dispatch,
    ticket_extension_decide,
    ticket_extension_request,
    ticket_note,
    ticket_reply,
    ticket_responsibility,
    ticket_return,
    ticket_review,
    ticket_withdraw,
)
