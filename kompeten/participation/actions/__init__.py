"""Every write of the participation app goes through these actions (one transaction each)."""
