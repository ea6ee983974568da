"""Scheduling screens, one module per screen."""
