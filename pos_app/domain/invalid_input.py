"""Bad input, the one convention across the domain and the services: what cannot be used is
refused by raising an InvalidInput (a ValueError) before anything changes, with one line per
problem naming its field, and a field-to-message map for a form to show under each field. Each
kind of input names its own subclass (CustomerInvalid and LocationInvalid in the domain,
SettingsInvalid, SaleInputError, CatalogError... in the services), so a caller catches one kind
or all of them. It lives in the domain so the domain's own checks can raise it."""

from __future__ import annotations

from collections.abc import Mapping


class InvalidInput(ValueError):
    """`problems` has one line per problem, each naming its field ("email: 'bob@' is not an
    email address"); `fields` maps a field to its message (without the value), for a form."""

    def __init__(self, problems: list[str], fields: Mapping[str, str] | None = None):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.fields = dict(fields or {})
