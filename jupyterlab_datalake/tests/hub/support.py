"""A person at a browser, for the hub tests: one cookie jar per person, the hub's own login
form, the OAuth hops to a single-user server (with the "Authorize access" page a guest on a
shared server sees), and REST calls sent the way JupyterLab sends them from a cookie session
(the `_xsrf` cookie echoed in X-XSRFToken). Nothing here talks to the hub's API with a token:
what a user can do is what their login lets them do.

The hub environment itself (S3 users, bucket policy, the hub process) is scripts/hub_env.py,
which the demo uses too; it is loaded from the source tree here.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[3]


def load_hub_env():
    """scripts/hub_env.py, which is not a package: the tests and demo.py share it."""
    if "hub_env" not in sys.modules:
        spec = importlib.util.spec_from_file_location("hub_env", ROOT / "scripts" / "hub_env.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["hub_env"] = module
        spec.loader.exec_module(module)
    return sys.modules["hub_env"]


class _Forms(HTMLParser):
    """The forms of a page: action and the fields a browser would send without typing."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attr.get("action") or "", "fields": []})
        elif tag == "input" and self.forms and attr.get("type") == "hidden" and attr.get("name"):
            self.forms[-1]["fields"].append((attr["name"], attr.get("value") or ""))


def forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """One person's browser on the hub."""

    def __init__(self, hub_url: str) -> None:
        self.hub_url = hub_url
        self.session = requests.Session()
        self.user: str | None = None

    def login(self, user: str, password: str) -> requests.Response:
        """Fill in and send the hub's login form; the reply is wherever the hub lands us."""
        page = self.session.get(f"{self.hub_url}/hub/login", timeout=30)
        page.raise_for_status()
        form = forms(page.text)[0]
        fields = [*form["fields"], ("username", user), ("password", password)]
        reply = self.session.post(urljoin(page.url, form["action"]), data=fields, timeout=60)
        self.user = user
        return reply

    def open_server(self, owner: str, timeout: float = 180.0) -> requests.Response:
        """Open /user/<owner>/lab as a person would: wait through the spawn page, press
        "Authorize" where the hub asks (someone else's server), until JupyterLab is there."""
        target = f"/user/{owner}/lab"
        deadline = time.monotonic() + timeout
        reply = None
        while time.monotonic() < deadline:
            reply = self.session.get(f"{self.hub_url}{target}", timeout=60)
            path = urlsplit(reply.url).path
            if reply.status_code == 200 and path.startswith(target):
                return reply
            if reply.status_code == 200 and "/hub/api/oauth2/authorize" in path:
                form = forms(reply.text)[0]
                reply = self.session.post(
                    urljoin(reply.url, form["action"]) if form["action"] else reply.url,
                    data=form["fields"],
                    timeout=60,
                )
                if reply.status_code == 200 and urlsplit(reply.url).path.startswith(target):
                    return reply
            elif reply.status_code in (403, 404):
                break  # no such server or no right to it: waiting will not change that
            time.sleep(1)
        assert reply is not None
        raise AssertionError(
            f"{self.user} could not open {target}: {reply.status_code} at {reply.url}\n"
            f"{reply.text[:500]}"
        )

    def xsrf(self, owner: str) -> str:
        """The `_xsrf` cookie that <owner>'s server set for this browser."""
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf" and cookie.path.rstrip("/") == f"/user/{owner}":
                return cookie.value or ""
        raise AssertionError(f"no _xsrf cookie from /user/{owner}/ in {self.user}'s browser")

    def call(
        self, method: str, owner: str, path: str, *, json: object = None, params=None
    ) -> requests.Response:
        """A request to /user/<owner>/datalake/<path>, authenticated by the session cookie."""
        headers = {} if method == "GET" else {"X-XSRFToken": self.xsrf(owner)}
        return self.session.request(
            method,
            f"{self.hub_url}/user/{owner}/datalake/{path}",
            json=json,
            params=params,
            headers=headers,
            timeout=60,
            allow_redirects=False,
        )

    def transfer(self, owner: str, request: dict, timeout: float = 120.0) -> dict:
        """Start a transfer on <owner>'s server and wait for it to end; the final record."""
        reply = self.call("POST", owner, "transfers", json=request)
        assert reply.status_code == 201, f"{reply.status_code}: {reply.text}"
        transfer = reply.json()
        deadline = time.monotonic() + timeout
        while transfer["state"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.3)
            transfer = self.call("GET", owner, f"transfers/{transfer['id']}").json()
        return transfer
