"""Linked-open-data publishing: resource descriptions, pages, the diagram, the dataset description."""
