"""Vietnamese government plans to normalized, grounded Parquet tables."""
__version__ = "0.1.0"
