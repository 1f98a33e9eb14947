"""Share links: a presigned GET URL of one object, for someone without the user's credentials.

The URL is signed with the server's S3 credentials for the host it names: the admin's public
endpoint (`c.DataLake.public_endpoint_url`) when there is one, since a signature holds only
for the host it was made for; otherwise the internal endpoint, which only works inside the
cluster, and the reply says so. Signing makes no request to S3: the object is looked at first
(HeadObject, under the area's read rule), so that a link to nothing is not handed out.

A link holds a signature that reads the object until it expires: it is returned to the user
and never logged. With temporary credentials (a web identity) the link also stops working
when those credentials expire, whatever lifetime was asked for.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from botocore.config import Config

from ..config import Settings
from ..errors import LakeError, Refused
from . import areas
from .client import Lake

# The lifetimes offered, in seconds: SigV4 presigned URLs last at most 7 days.
LIFETIMES = {3600: "1 hour", 86400: "1 day", 604800: "7 days"}


class Sharer:
    def __init__(self, settings: Settings, lake: Lake):
        self.settings = settings
        self.lake = lake
        self._public = None
        self._lock = threading.Lock()

    def link(self, area: str, key: object, lifetime: object) -> dict[str, Any]:
        if isinstance(lifetime, bool) or lifetime not in LIFETIMES:
            offered = ", ".join(f"{s} ({w})" for s, w in LIFETIMES.items())
            raise Refused(400, f'"lifetime" is one of {offered} seconds, not {lifetime!r}.')
        where = areas.find(self.settings, area)
        key = areas.key_in(where, key)
        if key.endswith("/"):
            raise Refused(400, "A folder cannot be shared as one link; share its files.")
        with areas.acting(where, "read"):
            try:
                self.lake.translated(self.lake.client.head_object, Bucket=where.bucket, Key=key)
            except LakeError as err:
                if err.not_found:
                    raise Refused(404, f"{key} is not in the data lake (any more).") from err
                raise
        public = self.settings.public_endpoint_url
        client = self._public_client() if public else self.lake.client
        url = client.generate_presigned_url(
            "get_object", Params={"Bucket": where.bucket, "Key": key}, ExpiresIn=lifetime
        )
        return {
            "url": url,
            "key": key,
            "lifetime": lifetime,
            "expires": time.time() + lifetime,
            "inside_cluster_only": not public,
        }

    def _public_client(self):
        """A client of the same session (so the same, refreshed credentials) for the public
        endpoint; it only signs, never sends."""
        with self._lock:
            if self._public is None:
                self.lake.client  # noqa: B018 - resolves the credentials the session signs with
                self._public = self.lake.credentials.session.client(
                    "s3",
                    endpoint_url=self.settings.public_endpoint_url,
                    region_name=self.settings.region,
                    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
                )
            return self._public


__all__ = ["LIFETIMES", "Sharer"]
