"""Input the contract would refuse, found before any request is made."""

from __future__ import annotations

from collections.abc import Mapping


class InvalidInput(ValueError):
    """`problems` has one line per problem, each naming its field ("email: 'bob@' is not an
    email address"); `fields` maps a field to its message (without the value), for a form."""

    def __init__(self, problems: list[str], fields: Mapping[str, str] | None = None):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.fields = dict(fields or {})
