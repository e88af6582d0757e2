"""Browser libraries installed from the npm registry (package.json, `make install`), served as
static files: only the one built file of each, under `vendor/<library>/`, never the rest of
node_modules and never from a CDN."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage

# static path -> file under node_modules
LIBRARIES = {
    "vendor/cytoscape/cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
}


def _node_modules() -> Path:
    return Path(settings.BASE_DIR) / "node_modules"


class BrowserLibraryFinder(BaseFinder):
    """A staticfiles finder for exactly the files in LIBRARIES."""

    def check(self, **kwargs):
        # A warning, not an error: the pages work without it (the server's drawing and list).
        return [Warning(f"{_node_modules() / source} is missing: run `make install` (npm ci).",
                        id="register.W101")
                for source in LIBRARIES.values() if not (_node_modules() / source).is_file()]

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        source = LIBRARIES.get(path)
        full = _node_modules() / source if source else None
        found = str(full) if full and full.is_file() else None
        if find_all:
            return [found] if found else []
        return found or []  # what Django's own finders answer for "not here"

    def list(self, ignore_patterns):
        for path, source in LIBRARIES.items():
            full = _node_modules() / source
            if full.is_file():
                storage = FileSystemStorage(location=full.parent)
                storage.prefix = path.rsplit("/", 1)[0]
                yield full.name, storage
