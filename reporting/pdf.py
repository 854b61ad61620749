"""The report as PDF, with WeasyPrint, from the print template."""

from django.template.loader import render_to_string

import weasyprint


def render_pdf(report, request):
    context = report.get_context(request)
    context.update(printing=True, pdf=True)
    html = render_to_string("reporting/report_print.html", context, request=request)
    return weasyprint.HTML(
        string=html, base_url=request.build_absolute_uri("/")
    ).write_pdf()
