"""The lake client reads S3's timestamps with a quicker parser than botocore's: the dates a
user sees for objects must be the ones botocore would have given."""

from __future__ import annotations

from datetime import timezone

import pytest
from botocore.utils import parse_timestamp

from jupyterlab_datalake.lake import timestamps


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01T10:00:00.000Z",  # S3's XML listings
        "2026-12-01T23:59:59.999Z",
        "2024-02-29T00:00:00.123Z",
        "Wed, 02 Dec 2026 07:50:01 GMT",  # HTTP headers (HeadObject)
        "2026-12-01T10:00:00Z",  # no fraction
        "2026-12-01T10:00:00.000+02:00",  # another zone
        "1700000000",  # epoch seconds
    ],
)
def test_same_instant_as_botocore(text):
    ours = timestamps.parse(text)
    assert ours == parse_timestamp(text)
    assert ours.utcoffset() is not None


def test_a_listing_date_is_utc():
    assert timestamps.parse("2026-12-01T10:00:00.000Z").tzinfo is timezone.utc


def test_not_a_date_is_refused_as_botocore_refuses_it():
    with pytest.raises(ValueError):
        timestamps.parse("2026-13-01T10:00:00.000Z")
