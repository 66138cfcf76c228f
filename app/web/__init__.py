"""Pages: the same services as the API, rendered server-side (Jinja2), enhanced with htmx."""
