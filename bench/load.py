"""The benchmark's load generator: prepared HTTP requests sent by N concurrent users, each on a
connection of its own, from a process of its own (one thread, asyncio), so that what is timed is
the server, not 50 client threads taking turns with the emulator for one interpreter lock.

    python bench/load.py CONCURRENCY < requests.json > results.json

Input: a JSON list of [url, body (latin-1 text), {header: value}]. Output: a JSON object with
"results" (one [ok, seconds] per request, in input order) and "wall" (seconds for all).
A request is ok when the answer is a 200 with an empty body or "{}".
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
import urllib.parse


def _raw(url: str, body: bytes, headers: dict[str, str]) -> tuple[str, int, bytes]:
    parts = urllib.parse.urlsplit(url)
    lines = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return parts.hostname or "127.0.0.1", parts.port or 80, "\r\n".join(lines).encode() + body


def _ok(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")) and body.strip() in (b"", b"{}")


async def _run(requests: list[tuple[str, int, bytes]], concurrency: int) -> dict[str, object]:
    results: list[list[object]] = [[False, 0.0]] * len(requests)
    queue = iter(range(len(requests)))

    async def user() -> None:
        for n in queue:
            host, port, raw = requests[n]
            started = time.perf_counter()
            ok = False
            try:
                reader, writer = await asyncio.open_connection(host, port)
                try:
                    writer.write(raw)
                    answer = await asyncio.wait_for(reader.read(-1), timeout=30)
                    ok = _ok(answer)
                finally:
                    writer.close()
            except (TimeoutError, OSError):
                ok = False
            results[n] = [ok, time.perf_counter() - started]

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    return {"results": results, "wall": time.perf_counter() - started}


def main() -> None:
    concurrency = int(sys.argv[1])
    prepared = [
        _raw(url, body.encode("latin-1"), headers) for url, body, headers in json.load(sys.stdin)
    ]
    gc.collect()
    gc.disable()  # no collector pause in the middle of the burst
    json.dump(asyncio.run(_run(prepared, concurrency)), sys.stdout)


if __name__ == "__main__":
    main()
