"""Helper package of the alliance workbook.

The core modules (``i18n``, ``factors``, ``text``, ``_assets``, ``_nav``) are pure Python and never
import ipywidgets or plotly; ``views`` holds the ipywidgets compositions and ``figures`` the plotly builders.
Notebooks call the one-line entry points in ``widgets.exercises``. Nothing heavy is imported here, so that a
kernel only pays for what its page uses.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
