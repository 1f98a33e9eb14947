"""jupyterlab-datalake: home usage, non-persistent paths and the S3 data lake, in JupyterLab."""

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only in a source tree that was never built
    import warnings

    warnings.warn("Importing 'jupyterlab_datalake' outside a proper installation.", stacklevel=2)
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-datalake"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_datalake"}]


def _load_jupyter_server_extension(server_app):
    from .handlers import setup_handlers
    from .service import DataLakeService

    contents = server_app.contents_manager
    service = DataLakeService.from_config(
        server_app.config, server_app.log, contents_root=getattr(contents, "root_dir", None)
    )
    service.watch_saves(contents)
    server_app.web_app.settings["datalake"] = service
    setup_handlers(server_app.web_app)
    server_app.log.info("Registered jupyterlab-datalake server extension")
