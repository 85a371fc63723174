"""Rendering result rows for people and for other tools: table, csv, json, md, xlsx, html."""

from .formats import BINARY_FORMATS, FORMATS, render, write

__all__ = ["BINARY_FORMATS", "FORMATS", "render", "write"]
