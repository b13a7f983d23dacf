"""Linked-open-data publishing: resource descriptions, pages, the support diagram, and the
dataset's own description."""
