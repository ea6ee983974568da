"""Every write of the scheduling app goes through these actions (one transaction each)."""
