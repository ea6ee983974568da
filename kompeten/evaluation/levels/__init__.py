"""The evaluation engine: one module per level, each a pure computation over arrays fetched in a
few queries by :func:`kompeten.evaluation.queries.evaluate_programme`."""
