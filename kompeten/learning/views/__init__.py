"""Views of the learning app, split by screen."""
