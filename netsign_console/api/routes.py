"""The one list of plain HTTP routes, mounted by netsign_console.netsign_console:

    rx.App(api_transformer=Starlette(routes=api_routes()))
"""

from __future__ import annotations

from starlette.routing import Route


def api_routes() -> list[Route]:
    import netsign_console.admin.admins  # noqa: F401  registers the admin classes the export/import/file routes serve
    from netsign_console.api.case_files import case_file
    from netsign_console.api.documents import document_pdf
    from netsign_console.api.exports import export_list
    from netsign_console.api.files import private_file
    from netsign_console.api.imports import import_template
    from netsign_console.api.survey import survey_template
    from netsign_console.api.verify import verify_document, verify_form
    from netsign_console.api.session import login, logout

    return [
        Route("/api/session", login, methods=["POST"]),
        Route("/api/session/logout", logout, methods=["POST"]),
        Route("/api/case-file/{attachment_id:int}", case_file, methods=["GET"]),
        Route("/api/export/{slug}.{fmt}", export_list, methods=["GET"]),
        Route("/api/import/{slug}/template.xlsx", import_template, methods=["GET"]),
        Route("/api/survey/template.xlsx", survey_template, methods=["GET"]),
        Route("/api/files/{slug}/{record_id}/{column}", private_file, methods=["GET"]),
        Route("/api/documents/{document_id:int}.pdf", document_pdf, methods=["GET"]),
        # Public (no login): the page a document's QR code opens. Rate-limited per client.
        Route("/verify", verify_form, methods=["GET"]),
        Route("/verify/{code}", verify_document, methods=["GET"]),
    ]
