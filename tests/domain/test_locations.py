"""A location's rules (pos_app/domain/locations.py), without a service or an API: what stores
write is accepted and normalised, what the API would refuse is refused."""

from __future__ import annotations

import pytest

from pos_app.domain.locations import LocationDraft, LocationInvalid, validate_location


def test_validation_rules_accept_what_stores_write() -> None:
    clean = validate_location(
        LocationDraft(
            name=" Café ",
            phone="+1 (514) 555.0199 ext. 12",
            website="www.example.ca/magasin",
            timezone="Europe/Paris",
            currency="eur",
            locale="fr_ca",
        )
    )
    assert (clean.name, clean.currency, clean.locale, clean.description) == (
        "Café",
        "EUR",
        "fr-CA",
        None,
    )
    with pytest.raises(LocationInvalid, match="phone: '12' is not a phone number"):
        validate_location(LocationDraft(name="x", phone="12"))
    with pytest.raises(LocationInvalid, match="is longer than 200 characters"):
        validate_location(LocationDraft(name="x" * 201))
    with pytest.raises(LocationInvalid, match=r"website: 'ftp://example\.ca'"):
        validate_location(LocationDraft(name="x", website="ftp://example.ca"))
