"""The one exception of the planner: bad input, named item by item."""

from __future__ import annotations


class PlannerInputError(ValueError):
    """The instance cannot be planned as given.

    ``item`` names the offending element (``batches[3] (id 'B-12')``), ``message`` says what is
    wrong in English and ``pesan`` says it in Indonesian for the person who typed the data.
    ``str(error)`` gives both.
    """

    def __init__(self, item: str, message: str, pesan: str) -> None:
        self.item = item
        self.message = message
        self.pesan = pesan
        super().__init__(f"{item}: {message} / {pesan}")
