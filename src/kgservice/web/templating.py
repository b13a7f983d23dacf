"""Rendering the Jinja templates with the reader's language and the link helpers."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kgservice.lod.links import Linker
from kgservice.lod.messages import messages_for
from kgservice.web.language import Language, choose_language

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def thousands(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


ENVIRONMENT.filters["thousands"] = thousands


def page_context(request: Request, language: Language | None = None) -> dict[str, Any]:
    language = language or choose_language(request)
    linker = Linker(
        request.app.state.settings.base_iri, language.code if language.explicit else None
    )
    switch = dict(request.query_params) | {"lang": language.other}
    return {
        "lang": language.code,
        "t": messages_for(language.code),
        "link": linker.page,
        "href": linker.href,
        "switch_href": Linker("", None).href(request.url.path, **switch),
        "linker": linker,
    }


def render(request: Request, template: str, context: dict[str, Any], **extra: Any) -> HTMLResponse:
    """Render ``template``; ``context`` comes from :func:`page_context`."""
    html = ENVIRONMENT.get_template(template).render(**context, **extra)
    response = HTMLResponse(html)
    response.headers["Content-Language"] = context["lang"]
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
