"""The limits an input must keep to (all raisable per run; the CLI's --max-* options set them)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 2**20
    max_uncompressed_bytes: int = 500 * 2**20   # sum of zip entries' declared sizes
    max_entries: int = 10_000
    max_ratio: float = 200.0                     # per entry uncompressed/compressed (for entries > 1 MiB)
    max_cell_chars: int = 32_767
    max_rows_per_sheet: int = 1_048_576
    # Extension: cells in the bounding boxes of value cells, summed over all worksheets. calamine
    # allocates each box densely (about 32 bytes a cell), so this bounds its memory.
    max_cells: int = 10_000_000
    # Extension: a legacy .xls (BIFF) is parsed in a child process with this much address space and
    # ended after this many seconds (a hostile BIFF file can then hang or exhaust only the child).
    reader_memory_bytes: int = 2 * 2**30
    reader_seconds: float = 60.0
