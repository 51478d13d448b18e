"""ipywidgets compositions. Views hold no exercise logic: they forward events to the core modules and show
what those return. Every widget a test or stylesheet needs has a stable ``wb-…`` CSS class."""
