"""Plan validation costs: the largest accepted plan, the slowest hostile file, memory while refusing an alias bomb.

    .venv/bin/python benchmarks/plan_validation.py [--repeat N]

Prints one line per measurement (best of N wall-clock runs, after one warm-up that compiles the schemas).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from codedeploy_hooks.plans import PlanError  # noqa: E402
from codedeploy_hooks.plans.plan import MAX_STORED_PLAN, stored_size  # noqa: E402
from codedeploy_hooks.plans.planfile import read_plan_file  # noqa: E402
from codedeploy_hooks.registry import load_plan_file  # noqa: E402
from codedeploy_hooks.steps import default_catalog  # noqa: E402

INVALID = ROOT / "tests" / "fixtures" / "plans" / "invalid"
HEAD = "service: orders\napplication: orders-app\ndeployment_group: orders-dg\nplatform: ECS\n"
STEP = (
    "    - type: http-check\n      name: check-{n}\n      params:\n"
    "        url: https://orders.example.com/${{target}}/{n}\n"
    "        headers: {{X-Stack: '${{target}}', X-Check: '{n}'}}\n"
    "        expect: {{status: [200, 204], json: {{status: ok}}}}\n"
    "      retry: {{attempts: 3, backoff: 5}}\n"
)


def largest_plan(directory: Path) -> Path:
    """As many http-check steps as fit under the stored-size limit: the most work an accepted plan can ask."""
    path = directory / "largest.yaml"

    def write(count: int) -> int:
        path.write_text(HEAD + "hooks:\n  AfterAllowTestTraffic:\n" + "".join(STEP.format(n=n) for n in range(count)))
        return stored_size(read_plan_file(path).document)

    per_step = write(2) - write(1)
    count = (MAX_STORED_PLAN - write(0)) // per_step + 5
    while write(count) > MAX_STORED_PLAN:
        count -= 1
    return path


def hostile_files(directory: Path) -> list[Path]:
    """The invalid corpus plus hostile files too large to keep in the repository."""
    extra = {
        "one-mebibyte.yaml": HEAD + "description: '" + "x" * (1024 * 1024 - 200) + "'\nhooks: {}\n",
        "deep-json.json": '{"service": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "many-keys.yaml": HEAD + "variables:\n" + "".join(f"  v{i}: {i}\n" for i in range(60_000)) + "hooks: {}\n",
        "many-problems.yaml": HEAD
        + "hooks:\n  BeforeInstall:\n"
        + "".join(f"    - type: wait\n      name: w{i}\n      params: {{seconds: -1}}\n" for i in range(10_000)),
    }
    for name, text in extra.items():
        (directory / name).write_text(text)
    return [p for p in INVALID.iterdir() if p.suffix != ".expect"] + [directory / name for name in extra]


def best(path: Path, repeat: int) -> float:
    catalog = default_catalog()
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        with contextlib.suppress(PlanError):
            load_plan_file(path, catalog)
        times.append(time.perf_counter() - started)
    return min(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        largest = largest_plan(directory)
        steps = largest.read_text().count("- type:")
        size = stored_size(read_plan_file(largest).document)
        print(
            f"largest accepted plan ({steps} steps, {size / 1024:.0f} KiB stored): "
            f"{best(largest, args.repeat) * 1000:.1f} ms"
        )
        timings = sorted(((best(p, args.repeat), p.name) for p in hostile_files(directory)), reverse=True)
        for seconds, name in timings[:3]:
            print(f"hostile file {name}: {seconds * 1000:.1f} ms")
        bomb = INVALID / "alias-bomb.yaml"
        tracemalloc.start()
        with contextlib.suppress(PlanError):
            load_plan_file(bomb, default_catalog())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"alias bomb ({bomb.stat().st_size} bytes, 9^9 nodes if expanded): refused, "
            f"peak {peak / 1024:.0f} KiB traced"
        )


if __name__ == "__main__":
    main()
