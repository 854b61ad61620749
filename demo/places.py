"""Where the demo's activities take place: countries and sub-regions.

A curated set of countries, each with what the texts need to name it (the
inventory's own country name, with an article where English wants one; the French
locative; two cities; the language its organisations are named in), and
sub-regions that each lie inside one ITU region, so that an entry's title, its
countries and its ITU regions always agree.
"""

from dataclasses import dataclass
from functools import cache

from home.countries import country_name
from inventory.regions import region_of_country


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # as a title says it: "Kenya", "the Philippines"
    in_fr: str  # "au Kenya", "aux Philippines"
    capital: str
    city: str
    language: str = "en"  # of its organisations' names: "en", "fr" or "es"
    name_es: str = ""  # "México", "la República Dominicana"

    @property
    def region(self):
        return region_of_country()[self.code]

    @property
    def of_fr(self):
        """Return the name after "of": "du Kenya", "de la Tunisie", "d'Haïti"."""
        article, _space, rest = self.in_fr.partition(" ")
        if article == "au":
            return f"du {rest}"
        if article == "aux":
            return f"des {rest}"
        if article == "en":
            return f"d'{rest}" if rest[0] in "AEIOUÉHaeiouéh" else f"de la {rest}"
        if rest.startswith("la "):
            return f"de {rest}"
        return f"d'{rest}" if rest[0] in "AEIOUÉaeioué" else f"de {rest}"

    @property
    def name_fr(self):
        """Return the bare name: "Kenya", "Philippines", "Barbade"."""
        return self.in_fr.split(" ", 1)[1].removeprefix("la ")

    @property
    def city_in(self):
        """Its capital, and the country unless they share their name."""
        if self.capital == self.name:
            return self.capital
        return f"{self.capital}, {self.name}"

    @property
    def city_in_fr(self):
        if self.capital == self.name:
            return self.capital
        return f"{self.capital} ({self.name_fr})"

    @property
    def of_es(self):
        return f"de {self.name_es}"


def _c(code, name, in_fr, capital, city, language="en", name_es=""):
    return Country(code, name, in_fr, capital, city, language, name_es)


COUNTRIES = {
    country.code: country
    for country in [
        # Africa
        _c("KEN", "Kenya", "au Kenya", "Nairobi", "Mombasa"),
        _c("NGA", "Nigeria", "au Nigeria", "Abuja", "Lagos"),
        _c("GHA", "Ghana", "au Ghana", "Accra", "Kumasi"),
        _c("SEN", "Senegal", "au Sénégal", "Dakar", "Saint-Louis", "fr"),
        _c("CIV", "Côte d'Ivoire", "en Côte d'Ivoire", "Abidjan", "Bouaké", "fr"),
        _c("CMR", "Cameroon", "au Cameroun", "Yaoundé", "Douala", "fr"),
        _c("RWA", "Rwanda", "au Rwanda", "Kigali", "Huye"),
        _c("UGA", "Uganda", "en Ouganda", "Kampala", "Gulu"),
        _c("TZA", "Tanzania", "en Tanzanie", "Dodoma", "Dar es Salaam"),
        _c("ETH", "Ethiopia", "en Éthiopie", "Addis Ababa", "Bahir Dar"),
        _c("ZAF", "South Africa", "en Afrique du Sud", "Pretoria", "Cape Town"),
        _c("ZMB", "Zambia", "en Zambie", "Lusaka", "Ndola"),
        _c("MOZ", "Mozambique", "au Mozambique", "Maputo", "Beira"),
        _c(
            "BFA",
            "Burkina Faso",
            "au Burkina Faso",
            "Ouagadougou",
            "Bobo-Dioulasso",
            "fr",
        ),
        _c("MLI", "Mali", "au Mali", "Bamako", "Sikasso", "fr"),
        _c("BEN", "Benin", "au Bénin", "Cotonou", "Parakou", "fr"),
        _c("TGO", "Togo", "au Togo", "Lomé", "Kara", "fr"),
        _c("MDG", "Madagascar", "à Madagascar", "Antananarivo", "Toamasina", "fr"),
        _c("NER", "Niger", "au Niger", "Niamey", "Zinder", "fr"),
        _c("MWI", "Malawi", "au Malawi", "Lilongwe", "Blantyre"),
        _c("NAM", "Namibia", "en Namibie", "Windhoek", "Walvis Bay"),
        _c("BWA", "Botswana", "au Botswana", "Gaborone", "Francistown"),
        _c("ZWE", "Zimbabwe", "au Zimbabwe", "Harare", "Bulawayo"),
        _c("MUS", "Mauritius", "à Maurice", "Port Louis", "Curepipe"),
        _c("SLE", "Sierra Leone", "en Sierra Leone", "Freetown", "Bo"),
        _c("LBR", "Liberia", "au Libéria", "Monrovia", "Gbarnga"),
        _c("GIN", "Guinea", "en Guinée", "Conakry", "Kankan", "fr"),
        _c("GAB", "Gabon", "au Gabon", "Libreville", "Port-Gentil", "fr"),
        _c("TCD", "Chad", "au Tchad", "N'Djamena", "Moundou", "fr"),
        # Americas
        _c("BRA", "Brazil", "au Brésil", "Brasília", "Recife"),
        _c("MEX", "Mexico", "au Mexique", "Mexico City", "Guadalajara", "es", "México"),
        _c("COL", "Colombia", "en Colombie", "Bogotá", "Medellín", "es", "Colombia"),
        _c("PER", "Peru", "au Pérou", "Lima", "Arequipa", "es", "Perú"),
        _c("CHL", "Chile", "au Chili", "Santiago", "Valparaíso", "es", "Chile"),
        _c(
            "ARG",
            "Argentina",
            "en Argentine",
            "Buenos Aires",
            "Córdoba",
            "es",
            "Argentina",
        ),
        _c("ECU", "Ecuador", "en Équateur", "Quito", "Cuenca", "es", "Ecuador"),
        _c("BOL", "Bolivia", "en Bolivie", "La Paz", "Cochabamba", "es", "Bolivia"),
        _c(
            "PRY",
            "Paraguay",
            "au Paraguay",
            "Asunción",
            "Encarnación",
            "es",
            "Paraguay",
        ),
        _c("URY", "Uruguay", "en Uruguay", "Montevideo", "Salto", "es", "Uruguay"),
        _c(
            "CRI",
            "Costa Rica",
            "au Costa Rica",
            "San José",
            "Cartago",
            "es",
            "Costa Rica",
        ),
        _c(
            "GTM",
            "Guatemala",
            "au Guatemala",
            "Guatemala City",
            "Quetzaltenango",
            "es",
            "Guatemala",
        ),
        _c(
            "HND",
            "Honduras",
            "au Honduras",
            "Tegucigalpa",
            "San Pedro Sula",
            "es",
            "Honduras",
        ),
        _c(
            "SLV",
            "El Salvador",
            "au Salvador",
            "San Salvador",
            "Santa Ana",
            "es",
            "El Salvador",
        ),
        _c("PAN", "Panama", "au Panama", "Panama City", "David", "es", "Panamá"),
        _c(
            "DOM",
            "the Dominican Republic",
            "en République dominicaine",
            "Santo Domingo",
            "Santiago de los Caballeros",
            "es",
            "la República Dominicana",
        ),
        _c("JAM", "Jamaica", "en Jamaïque", "Kingston", "Montego Bay"),
        _c("LCA", "Saint Lucia", "à Sainte-Lucie", "Castries", "Vieux Fort"),
        _c("BRB", "Barbados", "à la Barbade", "Bridgetown", "Speightstown"),
        _c("HTI", "Haiti", "en Haïti", "Port-au-Prince", "Cap-Haïtien", "fr"),
        _c("GUY", "Guyana", "au Guyana", "Georgetown", "Linden"),
        _c("BLZ", "Belize", "au Belize", "Belmopan", "Orange Walk"),
        # Arab States
        _c("EGY", "Egypt", "en Égypte", "Cairo", "Alexandria"),
        _c("MAR", "Morocco", "au Maroc", "Rabat", "Casablanca", "fr"),
        _c("TUN", "Tunisia", "en Tunisie", "Tunis", "Sfax", "fr"),
        _c("DZA", "Algeria", "en Algérie", "Algiers", "Oran"),
        _c("JOR", "Jordan", "en Jordanie", "Amman", "Irbid"),
        _c("LBN", "Lebanon", "au Liban", "Beirut", "Sidon"),
        _c("OMN", "Oman", "à Oman", "Muscat", "Salalah"),
        _c(
            "ARE",
            "the United Arab Emirates",
            "aux Émirats arabes unis",
            "Abu Dhabi",
            "Dubai",
        ),
        _c("SAU", "Saudi Arabia", "en Arabie saoudite", "Riyadh", "Jeddah"),
        _c("QAT", "Qatar", "au Qatar", "Doha", "Al Rayyan"),
        _c("MRT", "Mauritania", "en Mauritanie", "Nouakchott", "Nouadhibou", "fr"),
        _c("DJI", "Djibouti", "à Djibouti", "Djibouti", "Ali Sabieh", "fr"),
        _c("SDN", "Sudan", "au Soudan", "Khartoum", "Port Sudan"),
        _c("BHR", "Bahrain", "à Bahreïn", "Manama", "Muharraq"),
        _c("IRQ", "Iraq", "en Irak", "Baghdad", "Basra"),
        _c("KWT", "Kuwait", "au Koweït", "Kuwait City", "Hawalli"),
        # Asia and the Pacific
        _c("IND", "India", "en Inde", "New Delhi", "Bengaluru"),
        _c("IDN", "Indonesia", "en Indonésie", "Jakarta", "Surabaya"),
        _c("PHL", "the Philippines", "aux Philippines", "Manila", "Cebu"),
        _c("VNM", "Vietnam", "au Viêt Nam", "Hanoi", "Da Nang"),
        _c("THA", "Thailand", "en Thaïlande", "Bangkok", "Chiang Mai"),
        _c("BGD", "Bangladesh", "au Bangladesh", "Dhaka", "Chittagong"),
        _c("NPL", "Nepal", "au Népal", "Kathmandu", "Pokhara"),
        _c("LKA", "Sri Lanka", "au Sri Lanka", "Colombo", "Kandy"),
        _c("PAK", "Pakistan", "au Pakistan", "Islamabad", "Lahore"),
        _c("MNG", "Mongolia", "en Mongolie", "Ulaanbaatar", "Darkhan"),
        _c("FJI", "Fiji", "aux Fidji", "Suva", "Lautoka"),
        _c("WSM", "Samoa", "au Samoa", "Apia", "Salelologa"),
        _c(
            "PNG",
            "Papua New Guinea",
            "en Papouasie-Nouvelle-Guinée",
            "Port Moresby",
            "Lae",
        ),
        _c("VUT", "Vanuatu", "au Vanuatu", "Port Vila", "Luganville"),
        _c("TON", "Tonga", "aux Tonga", "Nuku'alofa", "Neiafu"),
        _c("KHM", "Cambodia", "au Cambodge", "Phnom Penh", "Siem Reap"),
        _c("LAO", "Laos", "au Laos", "Vientiane", "Luang Prabang"),
        _c("MYS", "Malaysia", "en Malaisie", "Kuala Lumpur", "Kuching"),
        _c("BTN", "Bhutan", "au Bhoutan", "Thimphu", "Paro"),
        # CIS
        _c("KAZ", "Kazakhstan", "au Kazakhstan", "Astana", "Almaty"),
        _c("KGZ", "Kyrgyzstan", "au Kirghizistan", "Bishkek", "Osh"),
        _c("UZB", "Uzbekistan", "en Ouzbékistan", "Tashkent", "Samarkand"),
        _c("TJK", "Tajikistan", "au Tadjikistan", "Dushanbe", "Khujand"),
        _c("ARM", "Armenia", "en Arménie", "Yerevan", "Gyumri"),
        _c("GEO", "Georgia", "en Géorgie", "Tbilisi", "Batumi"),
        _c("AZE", "Azerbaijan", "en Azerbaïdjan", "Baku", "Ganja"),
        _c("MDA", "Moldova", "en Moldavie", "Chișinău", "Bălți"),
        _c("UKR", "Ukraine", "en Ukraine", "Kyiv", "Lviv"),
        # Europe
        _c("EST", "Estonia", "en Estonie", "Tallinn", "Tartu"),
        _c("POL", "Poland", "en Pologne", "Warsaw", "Kraków"),
        _c("PRT", "Portugal", "au Portugal", "Lisbon", "Porto"),
        _c("ROU", "Romania", "en Roumanie", "Bucharest", "Cluj-Napoca"),
        _c("SRB", "Serbia", "en Serbie", "Belgrade", "Novi Sad"),
        _c("ALB", "Albania", "en Albanie", "Tirana", "Durrës"),
        _c("MKD", "North Macedonia", "en Macédoine du Nord", "Skopje", "Bitola"),
        _c(
            "BIH",
            "Bosnia and Herzegovina",
            "en Bosnie-Herzégovine",
            "Sarajevo",
            "Mostar",
        ),
        _c("MNE", "Montenegro", "au Monténégro", "Podgorica", "Nikšić"),
        _c("IRL", "Ireland", "en Irlande", "Dublin", "Galway"),
        _c("FIN", "Finland", "en Finlande", "Helsinki", "Tampere"),
        _c("ESP", "Spain", "en Espagne", "Madrid", "Valencia", "es", "España"),
        _c("TUR", "Türkiye", "en Turquie", "Ankara", "Izmir"),
    ]
}


@dataclass(frozen=True)
class SubRegion:
    name: str  # as a title says it: "West Africa", "the Caribbean"
    in_fr: str
    codes: tuple

    @property
    def region(self):
        return COUNTRIES[self.codes[0]].region


SUB_REGIONS = [
    SubRegion("West Africa", "en Afrique de l'Ouest",
              ("SEN", "CIV", "GHA", "NGA", "BFA", "MLI", "BEN", "TGO", "NER", "SLE",
               "LBR", "GIN")),
    SubRegion("East Africa", "en Afrique de l'Est",
              ("KEN", "UGA", "TZA", "RWA", "ETH")),
    SubRegion("Southern Africa", "en Afrique australe",
              ("ZAF", "ZMB", "MOZ", "MWI", "NAM", "BWA", "ZWE", "MUS", "MDG")),
    SubRegion("Central Africa", "en Afrique centrale", ("CMR", "GAB", "TCD")),
    SubRegion("Latin America", "en Amérique latine",
              ("BRA", "MEX", "COL", "PER", "CHL", "ARG", "ECU", "BOL", "PRY", "URY")),
    SubRegion("Central America", "en Amérique centrale",
              ("CRI", "GTM", "HND", "SLV", "PAN", "BLZ")),
    SubRegion("the Caribbean", "dans les Caraïbes",
              ("JAM", "LCA", "BRB", "HTI", "DOM", "GUY")),
    SubRegion("the Andean countries", "dans les pays andins",
              ("COL", "PER", "ECU", "BOL")),
    SubRegion("the Arab region", "dans la région arabe",
              ("EGY", "MAR", "TUN", "DZA", "JOR", "LBN", "OMN", "SAU", "MRT", "SDN",
               "IRQ")),
    SubRegion("North Africa", "en Afrique du Nord",
              ("EGY", "MAR", "TUN", "DZA", "MRT")),
    SubRegion("the Gulf region", "dans la région du Golfe",
              ("OMN", "ARE", "SAU", "QAT", "BHR", "KWT")),
    SubRegion("South Asia", "en Asie du Sud",
              ("IND", "BGD", "NPL", "LKA", "PAK", "BTN")),
    SubRegion("South-East Asia", "en Asie du Sud-Est",
              ("IDN", "PHL", "VNM", "THA", "KHM", "LAO", "MYS")),
    SubRegion("the Pacific Islands", "dans les îles du Pacifique",
              ("FJI", "WSM", "PNG", "VUT", "TON")),
    SubRegion("Central Asia", "en Asie centrale", ("KAZ", "KGZ", "UZB", "TJK")),
    SubRegion("the South Caucasus", "dans le Caucase du Sud", ("ARM", "GEO", "AZE")),
    SubRegion("Eastern Europe", "en Europe orientale", ("UKR", "MDA")),
    SubRegion("the Western Balkans", "dans les Balkans occidentaux",
              ("ALB", "SRB", "MKD", "BIH", "MNE")),
]  # fmt: skip

NUMBERS_EN = ["", "one", "two", "three", "four", "five", "six", "seven", "eight"]
NUMBERS_FR = ["", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit"]


def number_words(count, language):
    """Return ``count`` in words up to eight ("five", "cinq"), in figures above."""
    words = NUMBERS_EN if language == "en" else NUMBERS_FR
    return words[count] if count < len(words) else str(count)


@cache
def own_country_names(code):
    """Return the names a title may use for a country.

    The inventory's, in English and French, and the demo's own.
    """
    names = {country_name(code, "en"), country_name(code, "fr")}
    country = COUNTRIES.get(code)
    if country is not None:
        names.add(country.name.removeprefix("the "))
        names.add(country.name_fr)
    return names
