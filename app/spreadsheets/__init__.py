"""Spreadsheets in and out, the way contract.md fixes them: ``reading`` (CSV/XLSX uploads into
rows, row errors, import results), ``upload`` (the file of a multipart import request) and
``writing`` (CSV/XLSX exports: BOM, CRLF, formula guard, codes as text, streaming)."""
