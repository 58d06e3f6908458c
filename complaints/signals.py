"""What the ticket's services announce to the apps built on tickets (risk scoring), so that
complaints does not import them: receivers run inside the event's transaction, and an error in
one fails the event like any other statement of it."""
from django.dispatch import Signal

# tickets: the tickets just registered or changed (saved, with their events written).
tickets_changed = Signal()
