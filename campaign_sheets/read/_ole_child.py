"""Run as a script (never imported by the package): read an OLE2/BIFF workbook given on stdin with
python-calamine, under an address-space limit, and write its worksheets to stdout as JSON.

argv: memory limit (bytes), cell limit (the sum of the sheets' boxes, as the guard counts an xlsx's).
Only this process can be hung or exhausted by a hostile BIFF file; the caller's timeout ends it.
Dates and times are tagged objects ({"d": iso}, {"dt": iso}, {"t": iso}, {"td": seconds})."""
import datetime
import io
import json
import sys


def main() -> None:
    memory, max_cells = (int(a) for a in sys.argv[1:3])
    data = sys.stdin.buffer.read()
    out = sys.stdout
    try:
        from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum
    except ImportError as exc:
        json.dump({"error": "reader", "detail": str(exc)}, out)
        return
    try:   # the limit holds for the parse (the imports above are done)
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass

    def enc(v):
        if isinstance(v, datetime.datetime):
            return {"dt": v.isoformat()}
        if isinstance(v, datetime.date):
            return {"d": v.isoformat()}
        if isinstance(v, datetime.time):
            return {"t": v.isoformat()}
        if isinstance(v, datetime.timedelta):
            return {"td": v.total_seconds()}
        return v

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets, total = [], 0
        for meta in wb.sheets_metadata:
            state = str(meta.visible).rsplit(".", 1)[-1].lower()
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            start, end = sheet.start, sheet.end
            if start is None or end is None:
                sheets.append({"name": meta.name, "state": state, "start": None, "end": None, "rows": []})
                continue
            cells = (end[0] + 1 - start[0]) * (end[1] + 1)
            total += cells
            if total > max_cells:
                json.dump({"error": "sheet-too-large", "sheet": meta.name, "start": start, "end": end,
                           "cells": cells, "total": total}, out)
                return
            rows = [[enc(v) for v in row] for row in sheet.iter_rows()]
            sheets.append({"name": meta.name, "state": state, "start": start, "end": end, "rows": rows})
        json.dump({"sheets": sheets}, out)
    except PasswordError:
        json.dump({"error": "password"}, out)
    except MemoryError:
        json.dump({"error": "memory"}, out)
    except Exception as exc:  # noqa: BLE001 - calamine errors, pyo3 panics are BaseException (below)
        json.dump({"error": "reader", "detail": f"{type(exc).__name__}: {exc}"[:300]}, out)
    except BaseException as exc:  # noqa: BLE001 - a pyo3 PanicException
        json.dump({"error": "reader", "detail": f"{type(exc).__name__}: {exc}"[:300]}, out)


if __name__ == "__main__":
    main()
