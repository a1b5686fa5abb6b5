"""The demo exports: one district's week, reproducing the center's 2025 review (seed 2025)."""
