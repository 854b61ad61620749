"""POST data of the public forms.

Joining a team, registering for a meeting, submitting an activity to the inventory.
"""


def join_data(**changes):
    return {
        "organisation_name": "Cyber Peace Institute",
        "person_name": "Ada Lovelace",
        "email": "ada@example.org",
        "stakeholder_type": "civil-society",
        "country": "CHE",
        "message": "We run a CERT training programme.",
        **changes,
    }


def registration_data(**changes):
    return {
        "name": "Grace Hopper",
        "email": "grace@example.org",
        "organisation": "Ministry of ICT",
        "stakeholder_type": "government",
        "country": "KEN",
        "attendance": "in-person",
        **changes,
    }


SUBMIT_URL = "/inventory/submit/"


UPDATE_URL = "/inventory/update/"


CONTACT = "awa.diop@example.org"


def submission(**changes):
    """A complete, valid submission as the public form posts it."""
    data = {
        "title": "Cyber drills for West African CERTs",
        "summary": "Yearly exercises for the national incident response teams.",
        "description": "Three days of exercises.\n\nOpen to every CERT of the region.",
        "activity_type": "training",
        "status": "ongoing",
        "action_lines": ["C5"],
        "sdgs": ["9", "16"],
        "countries": ["SEN", "CIV"],
        "coverage": "regional",
        "stakeholder_type": "civil-society",
        "organisation_name": "Sahel Cyber Network",
        "partner_names": "ITU; AfricaCERT",
        "start_date": "2025-01-10",
        "end_date": "2025-12-20",
        "reporting_year": "2025",
        "website": "https://cyberdrills.example.org/",
        "keywords": "CERT, exercises",
        "contact_name": "Awa Diop",
        "contact_email": CONTACT,
        "homepage": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


SUBMISSION = {
    "title": "Solar telecentres for island schools",
    "summary": "Solar-powered telecentres bring the internet to island schools.",
    "description": "First paragraph.\n\nSecond paragraph.",
    "activity_type": "project",
    "status": "ongoing",
    "action_lines": ["C2", "C7-ELEARN"],
    "sdgs": ["4", "7"],
    "countries": ["FJI", "TON"],
    "coverage": "regional",
    "stakeholder_type": "civil-society",
    "organisation_name": "Pacific Islands Telecentre Network",
    "partner_names": "Island Schools Trust",
    "reporting_year": "2025",
    "website": "https://telecentres.example.org/",
    "keywords": "solar, schools",
    "contact_name": "Mele Tupou",
    "contact_email": "mele.tupou@example.org",
    "homepage": "",
}
