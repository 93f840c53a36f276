"""cxassess: GB/T 42509-2023 customer-experience management maturity assessment."""

__version__ = "0.1.0"
