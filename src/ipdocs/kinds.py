"""The four documents ipdocs makes. Their values are the Norwegian words users write
(`dokument: referat`), the templates' names and what the ledger stores, so a member compares
equal to, and is stored as, that text."""

from __future__ import annotations

import enum


class DocumentKind(enum.StrEnum):
    invitation = "innkalling"
    minutes = "referat"
    consent = "samtykke"
    power_of_attorney = "fullmakt"


KINDS: tuple[DocumentKind, ...] = tuple(DocumentKind)
