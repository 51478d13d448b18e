"""The workbook's kernel: ipykernel, without its debugger.

ipykernel imports debugpy (and with it pydevd) as it starts, for JupyterLab's visual debugger, which a Voila
page never uses. Measured here: a kernel running the app holds 41.2 MiB of its own memory (USS) with it and
36.4 MiB without, and imports 726 modules instead of 591 — for 300 participants, 1.4 GB less. With debugpy
unimportable, ipykernel runs as it does where debugpy is not installed (no debugger announced).
``widgets.server``'s kernel spec starts kernels with ``python -m widgets._kernel -f <connection file>``;
JupyterLab (``make lab``) keeps its own kernels, debugger included.
"""

import sys

if __name__ == "__main__":
    sys.modules["debugpy"] = None  # type: ignore[assignment]  # an import of it now raises ImportError
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
