"""Everything computed from the plans and kept in step with them, in the graph ``graph/derived``."""
