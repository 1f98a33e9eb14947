"""REST handlers under {base_url}/datalake/, one module per resource; ``base`` holds what they
share (the capped JSON body, the permissions, the error mapping) and ``routes`` their URLs.

The names are gathered here so that a check over every handler (tests/test_authorization.py)
and the extension's entry point see one place."""

from .at_risk import AtRiskHandler, ClassifyHandler, RescueHandler
from .base import (
    HOME_RESOURCE,
    LAKE_RESOURCE,
    MAX_BODY,
    MAX_CLASSIFY_PATHS,
    MAX_DELETE_KEYS,
    MAX_RESCUE_PATHS,
    MAX_TRANSFER_SOURCES,
    DataLakeHandler,
    LakeHandler,
)
from .home import SpaceHandler, TrashEmptyHandler, UsageHandler
from .lake_ops import CopyHandler, FolderHandler, ShareHandler
from .objects import ObjectDownloadHandler, ObjectsDeleteHandler, ObjectsHandler, ObjectsInfoHandler
from .routes import setup_handlers
from .status import StatusHandler
from .transfers import TransferHandler, TransferHandlerBase, TransferRetryHandler, TransfersHandler
from .uploads import BrowserUploadCompleteHandler, BrowserUploadPartHandler, BrowserUploadsHandler

__all__ = [
    "HOME_RESOURCE",
    "LAKE_RESOURCE",
    "MAX_BODY",
    "MAX_CLASSIFY_PATHS",
    "MAX_DELETE_KEYS",
    "MAX_RESCUE_PATHS",
    "MAX_TRANSFER_SOURCES",
    "AtRiskHandler",
    "BrowserUploadCompleteHandler",
    "BrowserUploadPartHandler",
    "BrowserUploadsHandler",
    "ClassifyHandler",
    "CopyHandler",
    "DataLakeHandler",
    "FolderHandler",
    "LakeHandler",
    "ObjectDownloadHandler",
    "ObjectsDeleteHandler",
    "ObjectsHandler",
    "ObjectsInfoHandler",
    "RescueHandler",
    "ShareHandler",
    "SpaceHandler",
    "StatusHandler",
    "TransferHandler",
    "TransferHandlerBase",
    "TransferRetryHandler",
    "TransfersHandler",
    "TrashEmptyHandler",
    "UsageHandler",
    "setup_handlers",
]
