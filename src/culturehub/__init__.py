"""Culture Hub: joins arts and cultural organisations with public service commissioners."""

__version__ = "0.1.0"
