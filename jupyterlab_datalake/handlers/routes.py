"""The URL of every handler under {base_url}/datalake/; docs/rest-api.yaml documents them and
tests/test_rest_doc.py checks the two agree."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from .at_risk import AtRiskHandler, ClassifyHandler, RescueHandler
from .contents import ContentsHandler
from .home import SpaceHandler, TrashEmptyHandler, UsageHandler
from .lake_find import SearchHandler, TableHandler
from .lake_ops import CopyHandler, FolderHandler, ShareHandler
from .objects import (
    ObjectDownloadHandler,
    ObjectsDeleteHandler,
    ObjectsHandler,
    ObjectsInfoHandler,
)
from .preview import ObjectPreviewHandler
from .status import StatusHandler
from .transfers import TransferHandler, TransferRetryHandler, TransfersHandler
from .uploads import BrowserUploadCompleteHandler, BrowserUploadPartHandler, BrowserUploadsHandler

_ID = r"([0-9a-f]{16})"


def setup_handlers(web_app) -> None:
    base = url_path_join(web_app.settings["base_url"], "datalake")
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "status"), StatusHandler),
            (url_path_join(base, "usage"), UsageHandler),
            (url_path_join(base, "trash", "empty"), TrashEmptyHandler),
            (url_path_join(base, "space"), SpaceHandler),
            (url_path_join(base, "paths", "classify"), ClassifyHandler),
            (url_path_join(base, "at-risk"), AtRiskHandler),
            (url_path_join(base, "rescue"), RescueHandler),
            (url_path_join(base, "transfers"), TransfersHandler),
            (url_path_join(base, "transfers", _ID), TransferHandler),
            (url_path_join(base, "transfers", _ID, "retry"), TransferRetryHandler),
            (url_path_join(base, "uploads"), BrowserUploadsHandler),
            (url_path_join(base, "uploads", _ID, r"(\d+)"), BrowserUploadPartHandler),
            (url_path_join(base, "uploads", _ID, "complete"), BrowserUploadCompleteHandler),
            (url_path_join(base, "objects"), ObjectsHandler),
            (url_path_join(base, "objects", "info"), ObjectsInfoHandler),
            (url_path_join(base, "objects", "delete"), ObjectsDeleteHandler),
            (url_path_join(base, "objects", "download"), ObjectDownloadHandler),
            (url_path_join(base, "objects", "folder"), FolderHandler),
            (url_path_join(base, "objects", "copy"), CopyHandler),
            (url_path_join(base, "objects", "share"), ShareHandler),
            (url_path_join(base, "contents"), ContentsHandler),
            (url_path_join(base, "objects", "table"), TableHandler),
            (url_path_join(base, "objects", "search"), SearchHandler),
            (url_path_join(base, "objects", "preview"), ObjectPreviewHandler),
        ],
    )
