"""A quicker reading of the timestamps in S3's replies than botocore's default.

botocore reads every timestamp with dateutil's general parser, about 60 µs each here: for a
page of 500 objects that is 30 ms of the server's CPU, more than RGW takes to list them, and
three quarters of what boto3's ``list_objects_v2`` costs on the client side. S3's XML replies
(listings, CopyObject, multipart) write them in one ISO 8601 form in UTC,
``2026-12-01T10:00:00.000Z``, which ``datetime.fromisoformat`` reads in about 1 µs. Anything
else (HTTP dates in headers, epoch seconds) goes to botocore's parser as before.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from botocore.utils import parse_timestamp


def parse(value: Any) -> datetime:
    if isinstance(value, str) and len(value) == 24 and value[10] == "T" and value[-1] == "Z":
        try:
            return datetime.fromisoformat(value[:-1]).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return parse_timestamp(value)


def use_in(session) -> None:
    """Make every client built from ``session`` (boto3's) read timestamps with :func:`parse`."""
    factory = session._session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=parse)
