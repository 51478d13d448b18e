"""Voila 0.5's own pool kernel manager, as the server builds it, for tests of what the server patches on it
(pool size 0: nothing starts a kernel unless the test asks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def pool_manager(folder: Path, **options: Any):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets.config import Configurable
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    class Parent(Configurable):
        root_dir = str(folder)
        notebook_path = None
        base_url = server_url = "/"
        port = 8866

    manager_class = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 0)
    return manager_class(parent=Parent(), root_dir=str(folder), **options)
