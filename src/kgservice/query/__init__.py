"""A query on its way through the service: prepared, run under limits, ordered, serialised; the
named queries and their kept answers."""
