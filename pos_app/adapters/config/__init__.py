"""Settings files under the data directory: settings.json, and secrets.json kept apart."""
