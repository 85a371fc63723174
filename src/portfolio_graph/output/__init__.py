"""Rendering result rows for people and for other tools: table, csv, json, md, xlsx, html."""

from .formats import BINARY_FORMATS, FORMATS, SUFFIX_FORMATS, TEXT_FORMATS, format_for_path, render, write

__all__ = ["BINARY_FORMATS", "FORMATS", "SUFFIX_FORMATS", "TEXT_FORMATS", "format_for_path", "render", "write"]
