"""The TUI's data layer: what screens show, loaded and cached outside ``compose()``."""
