"""docs/rest-api.yaml documents every route the server extension serves, and no other."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DOC = Path(__file__).resolve().parents[2] / "docs" / "rest-api.yaml"


def served_routes(app) -> set[str]:
    routes = set()
    for rule in app.web_app.default_router.rules:
        for inner in getattr(rule.target, "rules", []):
            pattern = getattr(inner.matcher, "_path", None) or ""
            if "/datalake/" in pattern:
                routes.add("/" + pattern.split("/datalake/", 1)[1])
    return routes


async def test_every_route_is_documented(jp_serverapp, jp_fetch):
    await jp_fetch("api", "status")
    # Tornado shows a route's capture groups as %s; the document names them {id}.
    documented = {re.sub(r"\{[^}]+\}", "%s", p) for p in yaml.safe_load(DOC.read_text())["paths"]}
    served = served_routes(jp_serverapp)
    assert served, "no /datalake/ routes found: the test looks in the wrong place"
    assert served == documented
