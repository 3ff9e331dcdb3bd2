"""A bare WeasyPrint render of one built page, in a fresh process: no cache, no fetcher, no pool.

    python benchmarks/bare_pdf.py PAGE.html [VARIANT]

Prints JSON: the import time of weasyprint (wall and CPU), the first render's wall and CPU time
(import excluded; CPU times count child processes too) and, for comparison with a build that renders many PDFs in one process, the
CPU time of two more renders of the same page in the same process ("warm"). VARIANT is
WeasyPrint's pdf_variant (the product writes "pdf/ua-1"); none for a plain PDF.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def cpu() -> float:
    """CPU time of this process and its children (importing weasyprint runs ldconfig)."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


started, started_cpu = time.perf_counter(), cpu()
import weasyprint  # noqa: E402

imported, imported_cpu = time.perf_counter(), cpu()


def render(page: str, options: dict) -> tuple[float, float, int]:
    wall, start = time.perf_counter(), cpu()
    data = weasyprint.HTML(filename=page).write_pdf(**options)
    return time.perf_counter() - wall, cpu() - start, len(data)


def main(page: str, variant: str | None) -> None:
    options = {"pdf_variant": variant} if variant else {}
    first_wall, first_cpu, size = render(page, options)
    warm = [render(page, options)[1] for _ in range(2)]
    print(
        json.dumps(
            {
                "import": imported - started,
                "import_cpu": imported_cpu - started_cpu,
                "render": first_wall,
                "render_cpu": first_cpu,
                "warm_cpu": min(warm),
                "bytes": size,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
