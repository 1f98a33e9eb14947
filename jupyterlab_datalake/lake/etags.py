"""ETags: the one the parts of a multipart upload give, and the If-Match condition that pins a
request to the version of an object it was planned on."""

from __future__ import annotations

import hashlib


def if_match(etag: str, *, put: bool = False) -> str:
    """The value of If-Match (or CopySourceIfMatch) for the object version with ``etag``, given
    quoted as S3's replies hold it or bare as the extension hands it out.

    Quoted on reads and copies (GetObject, HeadObject, CopyObject, UploadPartCopy): an entity
    tag is a quoted string in HTTP, and that is the form every S3 compares there. Bare on
    PutObject (``put``): Ceph RGW 16.2 compares that header without unquoting it, so a quoted
    ETag never matches there; MinIO and AWS take it either way."""
    bare = etag.strip('"')
    return bare if put else f'"{bare}"'


def multipart_etag(md5s: list[bytes]) -> str:
    """The ETag S3 gives a multipart object: the MD5 of the parts' MD5s, then the count."""
    return f"{hashlib.md5(b''.join(md5s)).hexdigest()}-{len(md5s)}"
