"""Rendering result rows for people and for other tools: table, csv, json, md, xlsx, html."""

from .formats import FORMATS, render, write

__all__ = ["FORMATS", "render", "write"]
