"""The organisations every installation starts with (covenant partners and chain partners).

Used by the data migration and by tests whose database is flushed between tests.
"""

# (code, name, covenant partner, may hold analysts)
ORGANISATIONS = [
    ("kpcn", "Korps Politie Caribisch Nederland (KPCN)", True, True),
    ("kmar", "Koninklijke Marechaussee (KMar)", True, True),
    ("om", "Openbaar Ministerie BES (OM)", True, True),
    ("szw", "SZW / Arbeidsinspectie Caribisch Nederland", True, False),
    ("ind", "Immigratie- en Naturalisatiedienst CN (IND-CN)", True, False),
    ("olb", "Openbaar Lichaam Bonaire", True, False),
    ("oles", "Openbaar Lichaam Sint Eustatius", True, False),
    ("ols", "Openbaar Lichaam Saba", True, False),
    ("voogdijraad", "Voogdijraad Caribisch Nederland", True, False),
    ("slachtofferhulp", "Bureau Slachtofferhulp", False, False),
    ("rst", "Recherche Samenwerkingsteam (RST)", False, False),
    ("kustwacht", "Kustwacht Caribisch Gebied", False, False),
    ("douane", "Douane Caribisch Nederland", False, False),
]


def seed_organisations(organisation_model=None) -> None:
    if organisation_model is None:
        from register.models import Organisation as organisation_model
    for code, name, partner, analysts in ORGANISATIONS:
        organisation_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "is_covenant_partner": partner, "may_hold_analysts": analysts},
        )
