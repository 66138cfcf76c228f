"""Registry of vocational college programs."""
