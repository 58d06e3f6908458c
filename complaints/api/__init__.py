"""REST API of the ticket: serializers (shape only) and one API class per operation."""
