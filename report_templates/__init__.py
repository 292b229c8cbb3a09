"""Jinja2 templates of the compiled report (Markdown, HTML and its CSS), shipped as package data."""
