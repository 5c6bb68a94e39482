"""The provider's service catalogue (content/catalogue.yaml): what account managers quote, at which price.

Read only when an account quotes or agrees prices; every problem comes with its file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, Strict, model_validator

from generator.errors import Problems
from generator.meetings.money import Currency, Price, fits
from generator.read.fields import Model, Text
from generator.read.layout import CATALOGUE_FILE
from generator.read.source import SourceDoc, read_yaml
from generator.read.validate import validate

ONE_OFF = "one-off"
UNIT = re.compile(r"^(one-off|per month|per [a-z][a-z -]*[a-z] per month)$")


def check_unit(value: str) -> str:
    """Return `value` if it is a unit a quote can price: one-off, per month, or per <thing> per month."""
    if not UNIT.match(value):
        raise ValueError(f"{value!r} is not a unit; write one-off, per month, or per <thing> per month "
                         "(e.g. per user per month, per site per month)")
    return value


class Service(Model):
    """One service of the catalogue."""

    id: Annotated[str, Strict(), Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    """Stable id that quotes and account prices use, e.g. monitoring-24x7 (lower case, digits, hyphens)."""
    name: Text
    """Name on the quote, e.g. '24x7 network monitoring'."""
    description: Text | None = None
    """What the customer gets, in a sentence."""
    unit: Annotated[str, Strict(), AfterValidator(check_unit)]
    """What the price is per: one-off, per month, or per <thing> per month (per user, per site, per device ...)."""
    price: Price
    """List price per unit, in the catalogue's currency."""
    minimum_term_months: Annotated[int, Strict(), Field(ge=1, le=120)] | None = None
    """For a monthly service: the shortest contract, in months (default 1). A one-off service has none."""

    @model_validator(mode="after")
    def _term(self) -> Service:
        if self.unit == ONE_OFF and self.minimum_term_months is not None:
            raise ValueError("a one-off service has no minimum term; remove minimum_term_months")
        return self

    @property
    def monthly(self) -> bool:
        """Return True for a service charged every month."""
        return self.unit != ONE_OFF

    @property
    def term(self) -> int | None:
        """Return the minimum term in months of a monthly service, None for a one-off."""
        return (self.minimum_term_months or 1) if self.monthly else None


class CatalogueFile(Model):
    """content/catalogue.yaml."""

    currency: Currency
    """ISO 4217 code of every price in the catalogue, the account prices and the quotes, e.g. EUR."""
    services: list[Service] = Field(min_length=1)
    """The services that can be quoted."""


@dataclass(frozen=True)
class Catalogue:
    """The checked catalogue, with the document its lines come from."""

    file: CatalogueFile
    doc: SourceDoc

    @property
    def currency(self) -> str:
        """Return the catalogue's currency."""
        return self.file.currency

    @property
    def services(self) -> dict[str, Service]:
        """Return the services by id."""
        return {service.id: service for service in self.file.services}


def read_catalogue(root: Path) -> Catalogue:
    """Return content/catalogue.yaml checked, or raise a ContentError listing every problem."""
    problems = Problems(root)
    doc = read_yaml(root / CATALOGUE_FILE, root)
    file = validate(doc, CatalogueFile)
    seen: dict[str, int] = {}
    for i, service in enumerate(file.services):
        if service.id in seen:
            problems.add(doc, doc.line_of(("services", i, "id")),
                         f"service id {service.id!r} is used twice (first on line {seen[service.id]})",
                         "give every service its own id")
        seen.setdefault(service.id, doc.line_of(("services", i, "id")))
        if not fits(service.price, file.currency):
            problems.add(doc, doc.line_of(("services", i, "price")),
                         f"price {service.price} has more decimals than {file.currency} has",
                         f"round it to {file.currency}'s smallest unit")
    problems.raise_if_any()
    return Catalogue(file, doc)


def did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """Return a hint naming the closest of `allowed`, or listing them."""
    options = list(allowed)
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"use one of: {', '.join(options)}"

