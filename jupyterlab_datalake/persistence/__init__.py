"""What survives a restart: ``mounts`` (the mount table and which paths are persistent),
``watched`` (what sits in places that vanish at restart), ``packages`` (pip packages installed
there) and ``rescue`` (moving such entries into home)."""
