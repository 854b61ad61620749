"""The organisations of the demo: the real facilitators, and generated national ones.

The international organisations are those the Tunis Agenda's annex names as
facilitators (and the five UN Regional Commissions), under their real names. Every
other organisation is generated from a role and a country ("Ministry of Health of
Kenya", "Université de Thiès"...), named in the language its country names
organisations in, so that the same role and country always give the same
organisation, whoever asks for it: the entries, the team members, the partners.
"""

import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from home.choices import StakeholderType

from .activities import LINES
from .places import COUNTRIES

DATA_FILE = (
    Path(__file__).resolve().parent.parent
    / "action_lines"
    / "data"
    / "action_lines.json"
)

GOVERNMENT = StakeholderType.GOVERNMENT
PRIVATE = StakeholderType.PRIVATE_SECTOR
CIVIL = StakeholderType.CIVIL_SOCIETY
INTERNATIONAL = StakeholderType.INTERNATIONAL_ORGANIZATION
ACADEMIA = StakeholderType.ACADEMIA
TECHNICAL = StakeholderType.TECHNICAL_COMMUNITY

# Acronym → (full name, headquarters, its country, its time zone). A team meets
# online at the time of its lead facilitator's headquarters.
FACILITATORS = {
    "ECOSOC": ("United Nations Economic and Social Council", "New York", "USA", "America/New_York"),
    "UN Regional Commissions": ("United Nations Regional Commissions", "", "", ""),
    "ITU": ("International Telecommunication Union", "Geneva", "CHE", "Europe/Zurich"),
    "UN DESA": ("United Nations Department of Economic and Social Affairs", "New York", "USA", "America/New_York"),
    "APC": ("Association for Progressive Communications", "Johannesburg", "ZAF", "Africa/Johannesburg"),
    "UNESCO": ("United Nations Educational, Scientific and Cultural Organization", "Paris", "FRA", "Europe/Paris"),
    "UNDP": ("United Nations Development Programme", "New York", "USA", "America/New_York"),
    "UNCTAD": ("United Nations Conference on Trade and Development", "Geneva", "CHE", "Europe/Zurich"),
    "WTO": ("World Trade Organization", "Geneva", "CHE", "Europe/Zurich"),
    "UPU": ("Universal Postal Union", "Bern", "CHE", "Europe/Zurich"),
    "UNIDO": ("United Nations Industrial Development Organization", "Vienna", "AUT", "Europe/Vienna"),
    "WHO": ("World Health Organization", "Geneva", "CHE", "Europe/Zurich"),
    "ILO": ("International Labour Organization", "Geneva", "CHE", "Europe/Zurich"),
    "WMO": ("World Meteorological Organization", "Geneva", "CHE", "Europe/Zurich"),
    "UNEP": ("United Nations Environment Programme", "Nairobi", "KEN", "Africa/Nairobi"),
    "UN-Habitat": ("United Nations Human Settlements Programme", "Nairobi", "KEN", "Africa/Nairobi"),
    "ICAO": ("International Civil Aviation Organization", "Montreal", "CAN", "America/Toronto"),
    "FAO": ("Food and Agriculture Organization of the United Nations", "Rome", "ITA", "Europe/Rome"),
    "ECLAC": ("Economic Commission for Latin America and the Caribbean", "Santiago", "CHL", "America/Santiago"),
    "ECA": ("Economic Commission for Africa", "Addis Ababa", "ETH", "Africa/Addis_Ababa"),
    "ESCAP": ("Economic and Social Commission for Asia and the Pacific", "Bangkok", "THA", "Asia/Bangkok"),
    "ESCWA": ("Economic and Social Commission for Western Asia", "Beirut", "LBN", "Asia/Beirut"),
    "ECE": ("Economic Commission for Europe", "Geneva", "CHE", "Europe/Zurich"),
}  # fmt: skip
CIVIL_SOCIETY_FACILITATORS = {"APC"}
# The Regional Commission of each ITU region.
REGIONAL_COMMISSIONS = {
    "africa": "ECA",
    "americas": "ECLAC",
    "arab-states": "ESCWA",
    "asia-pacific": "ESCAP",
    "cis": "ECE",
    "europe": "ECE",
}
# Facilitators that coordinate rather than carry out activities of their own.
NOT_IMPLEMENTING = {"ECOSOC", "UN Regional Commissions"}


@dataclass(frozen=True)
class Organisation:
    """What a StakeholderOrganisation row of the demo holds."""

    name: str
    acronym: str
    stakeholder_type: str
    country: str  # "" for international organisations
    role: str  # a key of ROLES, or "io" for the facilitators
    article: bool  # an English sentence says "the" before the name

    @property
    def the_name(self):
        """The name as an English sentence uses it.

        "the University of Nairobi", "Nairobi Telecom", "Université de Thiès".
        """
        return f"the {self.name}" if self.article else self.name

    @property
    def fields(self):
        return {
            "acronym": self.acronym,
            "stakeholder_type": self.stakeholder_type,
            "country": self.country,
        }


def facilitator(acronym):
    name = FACILITATORS[acronym][0]
    kind = CIVIL if acronym in CIVIL_SOCIETY_FACILITATORS else INTERNATIONAL
    return Organisation(name, acronym, kind, "", "io", True)


@dataclass(frozen=True)
class Role:
    """A kind of national organisation, named in English, French and Spanish.

    ``{country}`` is the country's name in English ("the Philippines"), ``{bare}``
    the same without its article; ``{of}`` is "du Sénégal" in French and "de
    México" in Spanish; ``{city}`` a city of the country.
    """

    stakeholder_type: str
    en: str
    fr: str
    es: str
    article: bool = True  # False for company names: "Nairobi Telecom"


# fmt: off
ROLES = {
    # Government
    "ict": Role(GOVERNMENT, "Ministry of ICT of {country}", "Ministère de l'Économie numérique {of}", "Ministerio de Tecnologías de la Información y las Comunicaciones {of}"),
    "regulator": Role(GOVERNMENT, "Communications Regulatory Authority of {country}", "Autorité de régulation des télécommunications {of}", "Comisión de Regulación de Comunicaciones {of}"),
    "cert": Role(GOVERNMENT, "National Computer Emergency Response Team of {country}", "Centre national de réponse aux incidents informatiques {of}", "Equipo Nacional de Respuesta a Incidentes Informáticos {of}"),
    "education": Role(GOVERNMENT, "Ministry of Education of {country}", "Ministère de l'Éducation nationale {of}", "Ministerio de Educación {of}"),
    "health": Role(GOVERNMENT, "Ministry of Health of {country}", "Ministère de la Santé {of}", "Ministerio de Salud {of}"),
    "agriculture": Role(GOVERNMENT, "Ministry of Agriculture of {country}", "Ministère de l'Agriculture {of}", "Ministerio de Agricultura {of}"),
    "labour": Role(GOVERNMENT, "Ministry of Labour of {country}", "Ministère du Travail {of}", "Ministerio de Trabajo {of}"),
    "environment": Role(GOVERNMENT, "Ministry of Environment of {country}", "Ministère de l'Environnement {of}", "Ministerio de Ambiente {of}"),
    "meteo": Role(GOVERNMENT, "National Meteorological Service of {country}", "Agence nationale de la météorologie {of}", "Servicio Meteorológico Nacional {of}"),
    "egov": Role(GOVERNMENT, "E-Government Agency of {country}", "Agence de l'administration numérique {of}", "Agencia de Gobierno Digital {of}"),
    "trade": Role(GOVERNMENT, "Ministry of Trade of {country}", "Ministère du Commerce {of}", "Ministerio de Comercio {of}"),
    "post": Role(GOVERNMENT, "Postal Corporation of {country}", "Société nationale des postes {of}", "Correos {of}"),
    "library": Role(GOVERNMENT, "National Library of {country}", "Bibliothèque nationale {of}", "Biblioteca Nacional {of}"),
    "culture": Role(GOVERNMENT, "Ministry of Culture of {country}", "Ministère de la Culture {of}", "Ministerio de Cultura {of}"),
    "unesco": Role(GOVERNMENT, "National Commission of {country} for UNESCO", "Commission nationale {of} pour l'UNESCO", "Comisión Nacional {of} para la UNESCO"),
    "research": Role(GOVERNMENT, "Ministry of Higher Education and Research of {country}", "Ministère de l'Enseignement supérieur et de la Recherche {of}", "Ministerio de Ciencia, Tecnología e Innovación {of}"),
    "statistics": Role(GOVERNMENT, "National Statistics Office of {country}", "Institut national de la statistique {of}", "Instituto Nacional de Estadística {of}"),
    "broadcaster": Role(GOVERNMENT, "National Broadcasting Corporation of {country}", "Office de radiodiffusion-télévision {of}", "Radio y Televisión Nacional {of}"),
    "data": Role(GOVERNMENT, "Data Protection Commission of {country}", "Commission de protection des données personnelles {of}", "Agencia de Protección de Datos Personales {of}"),
    "foreign": Role(GOVERNMENT, "Ministry of Foreign Affairs of {country}", "Ministère des Affaires étrangères {of}", "Ministerio de Relaciones Exteriores {of}"),
    "information": Role(GOVERNMENT, "Ministry of Information of {country}", "Ministère de la Communication {of}", "Secretaría de Comunicación {of}"),
    # Academia
    "university": Role(ACADEMIA, "University of {city}", "Université de {city}", "Universidad de {city}"),
    "polytechnic": Role(ACADEMIA, "{city} Institute of Technology", "École polytechnique de {city}", "Instituto Tecnológico de {city}"),
    "policy-centre": Role(ACADEMIA, "{city} Centre for Digital Policy Research", "Centre de recherche sur les politiques numériques de {city}", "Centro de Estudios en Políticas Digitales de {city}"),
    # Civil society
    "isoc": Role(CIVIL, "Internet Society {bare} Chapter", "Internet Society {bare} Chapter", "Internet Society {bare} Chapter"),
    "women-tech": Role(CIVIL, "Women in Technology Network of {country}", "Réseau des femmes dans le numérique {of}", "Red de Mujeres en Tecnología {of}"),
    "rights": Role(CIVIL, "Digital Rights Network of {country}", "Réseau pour les droits numériques {of}", "Red por los Derechos Digitales {of}"),
    "community-network": Role(CIVIL, "{city} Community Network Association", "Association des réseaux communautaires de {city}", "Asociación de Redes Comunitarias de {city}"),
    "librarians": Role(CIVIL, "Library Association of {country}", "Association des bibliothécaires {of}", "Asociación de Bibliotecarios {of}"),
    "community-radio": Role(CIVIL, "Community Radio Network of {country}", "Réseau des radios communautaires {of}", "Red de Radios Comunitarias {of}"),
    "journalists": Role(CIVIL, "Union of Journalists of {country}", "Union des journalistes {of}", "Asociación de Periodistas {of}"),
    "health-alliance": Role(CIVIL, "Digital Health Alliance of {country}", "Alliance pour la santé numérique {of}", "Alianza por la Salud Digital {of}"),
    "farmers": Role(CIVIL, "National Farmers' Federation of {country}", "Fédération nationale des producteurs agricoles {of}", "Federación Nacional de Productores Agrícolas {of}"),
    "disability": Role(CIVIL, "Disability Rights Federation of {country}", "Fédération des associations de personnes handicapées {of}", "Federación de Personas con Discapacidad {of}"),
    "youth": Role(CIVIL, "Youth Digital Forum of {country}", "Forum des jeunes pour le numérique {of}", "Foro de Jóvenes por lo Digital {of}"),
    "consumers": Role(CIVIL, "Consumers' Association of {country}", "Association des consommateurs {of}", "Asociación de Consumidores {of}"),
    "local-content": Role(CIVIL, "Local Content Foundation of {country}", "Fondation pour les contenus locaux {of}", "Fundación para los Contenidos Locales {of}"),
    # Private sector
    "telecom": Role(PRIVATE, "{city} Telecom", "{city} Télécom", "Telecomunicaciones de {city}", False),
    "software": Role(PRIVATE, "{city} Software Solutions", "{city} Solutions numériques", "Soluciones Digitales {city}", False),
    "fintech": Role(PRIVATE, "{city} Mobile Money", "{city} Paiement mobile", "Pagos Móviles {city}", False),
    "agritech": Role(PRIVATE, "{city} AgriTech", "{city} AgriTech", "AgroTec {city}", False),
    "healthtech": Role(PRIVATE, "{city} Health Technologies", "{city} Santé numérique", "Salud Digital {city}", False),
    "edtech": Role(PRIVATE, "{city} EdTech", "{city} Éducation numérique", "EduTec {city}", False),
    "cyber": Role(PRIVATE, "{city} Cyber Defence", "{city} Cybersécurité", "Ciberseguridad {city}", False),
    "chamber": Role(PRIVATE, "{city} Chamber of Commerce and Industry", "Chambre de commerce et d'industrie de {city}", "Cámara de Comercio de {city}"),
    "media": Role(PRIVATE, "{city} Media Group", "Groupe de presse de {city}", "Grupo de Medios {city}", False),
    "recycling": Role(PRIVATE, "{city} E-Waste Recycling", "{city} Recyclage électronique", "Reciclaje Electrónico {city}", False),
    # Technical community
    "nren": Role(TECHNICAL, "Research and Education Network of {country}", "Réseau national de recherche et d'éducation {of}", "Red Nacional de Investigación y Educación {of}"),
    "nic": Role(TECHNICAL, "Network Information Centre of {country}", "Centre d'information réseau {of}", "Centro de Información de Red {of}"),
    "ixp": Role(TECHNICAL, "{city} Internet Exchange Point", "Point d'échange Internet de {city}", "Punto de Intercambio de Internet de {city}"),
    "nog": Role(TECHNICAL, "Network Operators Group of {country}", "Groupe des opérateurs de réseaux {of}", "Grupo de Operadores de Red {of}"),
    "open-source": Role(TECHNICAL, "Open Source Community of {country}", "Communauté du logiciel libre {of}", "Comunidad de Software Libre {of}"),
}
# fmt: on
# Roles named after a city: some use the capital, others the second city, so that
# a country's university and its technology institute are in different places.
SECOND_CITY_ROLES = {"polytechnic", "agritech", "recycling", "community-network"}


def national(role, code):
    """Return the organisation of ``role`` in country ``code``."""
    country = COUNTRIES[code]
    spec = ROLES[role]
    language = country.language
    pattern = getattr(spec, language)
    if language == "fr":
        of = country.of_fr
    elif language == "es":
        of = country.of_es
    else:
        of = ""
    city = country.city if role in SECOND_CITY_ROLES else country.capital
    name = pattern.format(
        country=country.name, bare=country.name.removeprefix("the "), of=of, city=city
    )
    name = name[0].upper() + name[1:]
    return Organisation(
        name, "", spec.stakeholder_type, code, role, language == "en" and spec.article
    )


@cache
def indicative_facilitators():
    """Return {action line code: (lead, interested)} from the Tunis Agenda's annex.

    {action line code: (lead, interested)}: the Tunis Agenda's annex, by acronym.
    """
    with DATA_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    found = {}
    lines = list(data["action_lines"])
    while lines:
        line = lines.pop(0)
        found[line["code"]] = (tuple(line["lead"]), tuple(line["interested"]))
        lines.extend(line.get("children", []))
    return found


def implementers(code, region=None, allowed=()):
    """Return the facilitators of ``code`` that carry out activities of their own.

    The facilitators of ``code`` that carry out activities of their own (of those
    ``allowed``, if given); with a region, the Regional Commission too when the
    annex names the Commissions ("RC" among those allowed).
    """
    lead, interested = indicative_facilitators()[code]
    acronyms = [
        name
        for name in lead + interested
        if name not in NOT_IMPLEMENTING and (not allowed or name in allowed)
    ]
    if (
        region is not None
        and "UN Regional Commissions" in lead + interested
        and (not allowed or "RC" in allowed)
    ):
        acronyms.append(REGIONAL_COMMISSIONS[region])
    return acronyms


@cache
def team_members(code):
    """Return the member organisations of ``code``'s team.

    Those the annex lists as interested, and national organisations of the kinds
    that carry out the action line's activities. The same for every seed: entries
    reported by the team are those of its facilitators and members.
    """
    pick = random.Random(f"members of {code}")  # noqa: S311 - demo data
    roles = sorted(
        {
            role
            for template in LINES[code].templates
            for role in template.roles
            if role != "io"
        }
    )
    pick.shuffle(roles)
    countries = sorted(COUNTRIES)
    pick.shuffle(countries)
    members = {}
    for acronym in indicative_facilitators()[code][1]:
        if acronym not in NOT_IMPLEMENTING:
            members[acronym] = facilitator(acronym)
    # Every kind of organisation in turn, each from another country.
    for index in range(pick.randint(9, 14)):
        organisation = national(roles[index % len(roles)], countries[index])
        members[organisation.name] = organisation
    return tuple(sorted(members.values(), key=lambda organisation: organisation.name))
