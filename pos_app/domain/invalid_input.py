"""Bad input, the one convention across services: every service refuses what it cannot use by
raising an InvalidInput (a ValueError) before changing anything, with one line per problem
naming its field, and a field-to-message map for a form to show under each field. Services
name their own subclass (LocationInvalid, SettingsInvalid, SaleInputError, CatalogError...),
so a caller catches one kind or all of them."""

from __future__ import annotations

from collections.abc import Mapping


class InvalidInput(ValueError):
    """`problems` has one line per problem, each naming its field ("email: 'bob@' is not an
    email address"); `fields` maps a field to its message (without the value), for a form."""

    def __init__(self, problems: list[str], fields: Mapping[str, str] | None = None):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.fields = dict(fields or {})
