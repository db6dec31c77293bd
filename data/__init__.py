"""Bundled centres (synthetic), installed as ``bemanning.data`` so that ``bemanning plan`` finds the demo."""
