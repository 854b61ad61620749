"""The frozen figures of a report as CSV (one row per figure).

Labels come from the site's content (a team's title is its facilitators'), so
the rows are written through ``home.csv_guard``.
"""

import io

from home import csv_guard


def figure_rows(figures):
    yield ("section", "figure", "value", "inventory search")
    for key, value in figures.get("totals", {}).items():
        link = figures.get("links", {}).get(key, "")
        yield ("totals", key, value, link)
    left_out = figures.get("left_out")
    if left_out:
        yield ("left out", "inactive", left_out["inactive"], left_out["link"])
    for breakdown in figures.get("breakdowns", []):
        for row in breakdown["rows"]:
            yield (breakdown["facet"], row["label"], row["count"], row["link"])
    for row in figures.get("top_countries", []):
        yield ("country", row["label"], row["count"], row["link"])
    for team in figures.get("teams", []):
        yield ("team contribution", team["team"], int(team["contributed"]), "")


def figures_csv(figures):
    buffer = io.StringIO()
    writer = csv_guard.writer(buffer)
    for row in figure_rows(figures):
        writer.writerow(row)
    return "\ufeff" + buffer.getvalue()
