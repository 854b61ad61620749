"""Organisation slugs: made once from the name, unique, ASCII, stable."""

import importlib

from django.apps import apps

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale

import pytest

from demo.synthetic import create_entries
from home.models import StakeholderOrganisation
from tests.factories import UserFactory

fill_slugs = importlib.import_module(
    "home.migrations.0004_organisation_slug"
).fill_slugs


def make(name, acronym="", **fields):
    return StakeholderOrganisation.objects.create(
        name=name, acronym=acronym, stakeholder_type="other", **fields
    )


@pytest.mark.django_db
def test_slugs_come_from_the_name_with_a_number_for_namesakes():
    first = make("Réseau des écoles (Sénégal)")
    second = make("Reseau des Ecoles Senegal")
    third = make("Réseau des écoles — Sénégal")
    assert [first.slug, second.slug, third.slug] == [
        "reseau-des-ecoles-senegal",
        "reseau-des-ecoles-senegal-2",
        "reseau-des-ecoles-senegal-3",
    ]


@pytest.mark.django_db
def test_names_without_ascii_spelling_fall_back_to_the_acronym_then_the_id():
    with_acronym = make("Национальное агентство", "NAC")
    arabic = make("الاتحاد الدولي للاتصالات")
    chinese = make("中国信息通信研究院")
    assert with_acronym.slug == "nac"
    assert arabic.slug == f"org-{arabic.pk}"
    assert chinese.slug == f"org-{chinese.pk}"
    long = make("Organisation " * 19)  # 247 characters: the name fits, the slug not
    assert len(long.slug) <= 100 and long.slug.isascii()


@pytest.mark.django_db
def test_the_slug_stays_when_the_organisation_is_renamed():
    org = make("Open Data Lab", "ODL")
    org.name, org.acronym = "Open Knowledge Laboratory", "OKL"
    org.save()
    org.refresh_from_db()
    assert org.slug == "open-data-lab"
    org.save(update_fields=["acronym"])
    assert StakeholderOrganisation.objects.get(pk=org.pk).slug == "open-data-lab"


@pytest.mark.django_db
def test_an_editor_may_set_the_slug_once_another_has_not_taken_it(client):
    taken = make("Taken Organisation")
    org = make("Agence nationale", "AN")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/admin/snippets/home/stakeholderorganisation/edit/{org.pk}/"
    data = {
        "name": org.name,
        "acronym": org.acronym,
        "stakeholder_type": "government",
        "country": "",
        "website": "",
    }
    response = client.post(url, {**data, "slug": taken.slug})
    assert response.status_code == 200
    assert "Another organisation already has this slug." in response.content.decode()
    assert StakeholderOrganisation.objects.get(pk=org.pk).slug == "agence-nationale"
    response = client.post(url, {**data, "slug": "an-senegal"})
    assert response.status_code == 302
    assert StakeholderOrganisation.objects.get(pk=org.pk).slug == "an-senegal"
    # An old address leads to the new one, under every language prefix.
    assert Redirect.objects.filter(
        old_path="/organisations/agence-nationale",
        redirect_link="/organisations/an-senegal/",
    ).exists()
    assert Redirect.objects.filter(
        old_path="/ar/organisations/agence-nationale"
    ).exists()
    # Left empty, it is made from the name again.
    client.post(url, {**data, "slug": ""})
    assert StakeholderOrganisation.objects.get(pk=org.pk).slug == "agence-nationale"
    assert not Redirect.objects.filter(
        old_path="/organisations/agence-nationale"
    ).exists()


@pytest.mark.django_db
def test_new_organisations_from_the_admin_get_a_slug(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/snippets/home/stakeholderorganisation/add/",
        {
            "name": "Cyber Peace Institute",
            "acronym": "CPI",
            "slug": "",
            "stakeholder_type": "civil-society",
            "country": "CHE",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert StakeholderOrganisation.objects.get(acronym="CPI").slug == (
        "cyber-peace-institute"
    )


@pytest.mark.django_db
def test_translations_share_the_slug_and_follow_its_changes():
    source = make("International Telecommunication Union", "ITU")
    french, _created = Locale.objects.get_or_create(language_code="fr")
    translation = StakeholderOrganisation.objects.create(
        translation_key=source.translation_key,
        locale=french,
        name="Union internationale des télécommunications",
        acronym="UIT",
        stakeholder_type="other",
    )
    assert translation.slug == source.slug == "international-telecommunication-union"
    # Another organisation cannot take it in any locale.
    other = StakeholderOrganisation(
        name="International Telecommunication Union",
        locale=french,
        stakeholder_type="other",
    )
    other.save()
    assert other.slug == "international-telecommunication-union-2"
    source.slug = "itu"
    source.save()
    translation.refresh_from_db()
    assert translation.slug == "itu"


@pytest.mark.django_db
def test_the_data_migration_fills_unique_slugs_from_names():
    french, _created = Locale.objects.get_or_create(language_code="fr")
    rows = [
        make("Open Data Lab"),
        make("Open  Data  Lab"),
        make("مختبر البيانات المفتوحة", "MBM"),
        make("مختبر البيانات"),
    ]
    rows.append(
        StakeholderOrganisation.objects.create(
            translation_key=rows[0].translation_key,
            locale=french,
            name="Laboratoire des données ouvertes",
            stakeholder_type="other",
        )
    )
    # As before the migration: no slug yet (distinct values, for the constraint).
    for row in rows:
        StakeholderOrganisation.objects.filter(pk=row.pk).update(slug=f"x{row.pk}")
    fill_slugs(apps, None)
    slugs = [StakeholderOrganisation.objects.get(pk=row.pk).slug for row in rows]
    assert slugs == [
        "open-data-lab",
        "open-data-lab-2",
        "mbm",
        f"org-{rows[3].pk}",
        "open-data-lab",
    ]


@pytest.mark.django_db
def test_synthetic_organisations_get_unique_slugs(tree):
    make("Smith LLC")
    create_entries(60, seed=3)
    slugs = [org.slug for org in StakeholderOrganisation.objects.all()]
    assert len(slugs) > 10
    assert all(slugs) and len(set(slugs)) == len(slugs)
