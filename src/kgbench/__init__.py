"""The benchmark harness: one run measures loading, every named query on several engines,
throughput, validation and memory on the same generated data, and writes Markdown and JSON."""
