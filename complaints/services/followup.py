"""Half-year follow-up calls 半年跟踪回访: scheduled when a substantiated complaint is archived,
listed for the supervision office when due, their result recorded (and counted in the figures)."""

from django.utils import timezone
from django.utils.translation import gettext

from complaints.models import FollowUp, Ticket
from core.errors import Conflict, ValidationFailed

from .workflow import ticket_action


def followup_record(*, ticket, actor, result: str, note: str = "", expected_version=None) -> Ticket:
    """The supervision office records the follow-up call's result."""
    if result not in FollowUp.Result.values:
        raise ValidationFailed(gettext("回访结果无效"), fields={"result": [gettext("回访结果无效")]})

    def change(t: Ticket):
        followup = FollowUp.objects.select_for_update().filter(ticket=t, done_at__isnull=True).first()
        if followup is None:
            raise Conflict(gettext("该工单没有待进行的跟踪回访"), code="no_followup")
        followup.result, followup.note, followup.done_at, followup.by = result, note, timezone.now(), actor
        followup._history_user = actor
        followup.save()
        return None, note, {"result": result}

    return ticket_action(ticket=ticket, actor=actor, action="followup", change=change,
                         expected_version=expected_version)
