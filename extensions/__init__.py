"""Python loaded by Copier for this template (see copier.yml `_jinja_extensions`)."""
