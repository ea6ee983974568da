#!/usr/bin/env python
"""Django's manage.py; the `kompeten` console script does the same and more."""

from kompeten.cli import main

if __name__ == "__main__":
    main()
