"""Participation screens, one module per screen."""
