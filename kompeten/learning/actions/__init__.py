"""Every write of the learning app (one module per topic)."""
