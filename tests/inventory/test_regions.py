"""ITU regions: every UN member state in exactly one, and entries' regions."""

import json

import pytest

from home.countries import is_country
from inventory.choices import Region
from inventory.models import EntryFacetValue
from inventory.regions import DATA_FILE, region_of_country, regions_for

# The 193 UN member states (ISO 3166-1 alpha-3), written out independently of
# the data file and of any country library.
UN_MEMBER_STATES = [
    "AFG", "AGO", "ALB", "AND", "ARE", "ARG", "ARM", "ATG", "AUS", "AUT", "AZE",
    "BDI", "BEL", "BEN", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLR", "BLZ",
    "BOL", "BRA", "BRB", "BRN", "BTN", "BWA", "CAF", "CAN", "CHE", "CHL", "CHN",
    "CIV", "CMR", "COD", "COG", "COL", "COM", "CPV", "CRI", "CUB", "CYP", "CZE",
    "DEU", "DJI", "DMA", "DNK", "DOM", "DZA", "ECU", "EGY", "ERI", "ESP", "EST",
    "ETH", "FIN", "FJI", "FRA", "FSM", "GAB", "GBR", "GEO", "GHA", "GIN", "GMB",
    "GNB", "GNQ", "GRC", "GRD", "GTM", "GUY", "HND", "HRV", "HTI", "HUN", "IDN",
    "IND", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY",
    "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAR", "MCO", "MDA", "MDG",
    "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MOZ", "MRT",
    "MUS", "MWI", "MYS", "NAM", "NER", "NGA", "NIC", "NLD", "NOR", "NPL", "NRU",
    "NZL", "OMN", "PAK", "PAN", "PER", "PHL", "PLW", "PNG", "POL", "PRK", "PRT",
    "PRY", "QAT", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SLB", "SLE",
    "SLV", "SMR", "SOM", "SRB", "SSD", "STP", "SUR", "SVK", "SVN", "SWE", "SWZ",
    "SYC", "SYR", "TCD", "TGO", "THA", "TJK", "TKM", "TLS", "TON", "TTO", "TUN",
    "TUR", "TUV", "TZA", "UGA", "UKR", "URY", "USA", "UZB", "VCT", "VEN", "VNM",
    "VUT", "WSM", "YEM", "ZAF", "ZMB", "ZWE",
]  # fmt: skip

# Observer states the data file may also place in a region.
UN_OBSERVER_STATES = {"PSE", "VAT"}

# The members of the League of Arab States: ITU-D's Arab States region, not
# Africa, even for the North African ones.
ARAB_STATES = [
    "ARE", "BHR", "COM", "DJI", "DZA", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY",
    "MAR", "MRT", "OMN", "PSE", "QAT", "SAU", "SDN", "SOM", "SYR", "TUN", "YEM",
]  # fmt: skip


def regions_file():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["regions"]


def test_the_member_state_list_has_193_distinct_states():
    assert len(UN_MEMBER_STATES) == 193
    assert len(set(UN_MEMBER_STATES)) == 193


def test_the_data_file_names_exactly_the_six_itu_regions():
    assert set(regions_file()) == set(Region.values)


@pytest.mark.parametrize("code", UN_MEMBER_STATES)
def test_every_un_member_state_is_in_exactly_one_region(code):
    holding = [region for region, codes in regions_file().items() if code in codes]
    assert len(holding) == 1, f"{code} is in {holding or 'no region'}"
    assert region_of_country()[code] == holding[0]


def test_regions_are_disjoint_and_list_no_state_twice():
    regions = regions_file()
    for region, codes in regions.items():
        assert len(codes) == len(set(codes)), f"{region} repeats a state"
    seen = {}
    for region, codes in regions.items():
        for code in codes:
            assert code not in seen, f"{code} is in {seen.get(code)} and {region}"
            seen[code] = region


def test_the_data_file_holds_only_member_and_observer_states():
    listed = {code for codes in regions_file().values() for code in codes}
    assert listed - set(UN_MEMBER_STATES) <= UN_OBSERVER_STATES
    assert all(is_country(code) for code in listed)


def test_arab_states_form_their_own_region():
    assert sorted(regions_file()["arab-states"]) == sorted(ARAB_STATES)


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("SEN", "africa"),
        ("ZAF", "africa"),
        ("BRA", "americas"),
        ("CAN", "americas"),
        ("EGY", "arab-states"),
        ("IND", "asia-pacific"),
        ("FJI", "asia-pacific"),
        ("KAZ", "cis"),
        ("RUS", "cis"),
        ("FRA", "europe"),
        ("CHE", "europe"),
    ],
)
def test_well_known_states_are_in_their_region(code, region):
    assert region_of_country()[code] == region


def test_regions_for_derives_sorted_distinct_regions():
    assert regions_for(["FRA", "SEN", "KEN", "DEU"]) == ["africa", "europe"]
    assert regions_for(["global"]) == []
    assert regions_for(["global", "BRA"]) == ["americas"]
    assert regions_for([]) == []


def test_an_entrys_regions_derive_from_its_countries(entry_factory):
    entry = entry_factory(countries=["SEN", "FRA", "KEN"])
    entry.refresh_from_db()
    assert entry.regions == ["africa", "europe"]
    facet_regions = EntryFacetValue.objects.filter(entry=entry, facet="region")
    assert sorted(facet_regions.values_list("value", flat=True)) == [
        "africa",
        "europe",
    ]


def test_a_global_entry_has_no_region(entry_factory):
    entry = entry_factory(countries=["global"])
    entry.refresh_from_db()
    assert entry.regions == []
    assert not EntryFacetValue.objects.filter(entry=entry, facet="region").exists()


def test_changing_countries_changes_the_regions(entry_factory):
    entry = entry_factory(countries=["SEN"])
    entry.countries = ["IND", "global"]
    entry.save()
    entry.refresh_from_db()
    assert entry.regions == ["asia-pacific"]
    assert sorted(
        EntryFacetValue.objects.filter(
            entry=entry, facet__in=["region", "country"]
        ).values_list("facet", "value")
    ) == [("country", "IND"), ("country", "global"), ("region", "asia-pacific")]
