"""Benchmark modelgates_client against the floor: raw httpx + json.loads doing the same work.

    python -m scripts.bench                  # full run (a few minutes on 2 cores)
    python -m scripts.bench --quick          # few rounds, small streams: proves the benchmark still runs (CI)
    python -m scripts.bench --compare        # also the `openai` package, when it is importable
    python -m scripts.bench --json out.json  # also write every figure as JSON
    python -m scripts.bench --profile        # also cProfile both sides of each workload, and time cold-start phases
    python -m scripts.bench --only small,stream   # a subset of: small large stream cold import memory generate

Method
------
The server (scripts/bench/server.py) runs in a separate process on 127.0.0.1, a random free port.  It builds every
response once at startup and answers with a single socket write: JSON with Content-Length over HTTP/1.1
keep-alive, streams with chunked encoding, one HTTP chunk per SSE event (as a live API flushes them).  The
workload is chosen by the client's base URL (``/``, ``/large``, ``/stream-N``), so every implementation sends
the very same request as it normally would.

CPU workloads (small, large, stream) are timed with ``time.process_time()`` in this process, which runs only the
clients: the server's CPU is not counted.  Each implementation gets one persistent client per workload (connection
reuse), a warm-up (connection, lazy imports), then ``rounds`` rounds of N operations; N is calibrated so that a
round lasts about ``round_s`` seconds.  The rounds of the implementations are interleaved (floor, ours, floor,
ours, ...) so that drift on a shared machine hits both alike, ``gc.collect()`` runs before each round, and the
figure is the median over the rounds of the CPU time per operation.  Garbage collection is left on, as in real
use; its cost grows with the heap, so with --compare openai (whose imports alone grow the heap a lot) runs its
CPU workloads in a child process, interleaved with a floor of its own that its ratio is taken against.

- small:  a non-streaming chat completion, one choice, about 1 KB of JSON;
- large:  non-streaming, 8 choices x 4000 characters, each with 50 logprob tokens x 3 top alternatives;
- stream: a streamed completion of 2000 chunks read to the end (comment lines every 100 chunks, a final usage
  chunk, ``[DONE]``).

The floor posts the same JSON with ``httpx.Client.post`` and ``json.loads(response.content)``; for the stream it
uses ``client.stream("POST", ...)``, ``iter_lines()``, skips comments and ``json.loads`` each ``data:`` payload
until ``[DONE]``.  So the ratio is what the typed SDK (argument checks, request building, retries wrapper, SSE
decoding, typed models) costs over the least any Python client on httpx must do.

Cold and import are wall times of fresh processes (``sys.executable``, median over rounds, after one unmeasured
run to warm the bytecode and file caches).  Their bytecode is cached in a temporary PYTHONPYCACHEPREFIX even when
PYTHONDONTWRITEBYTECODE is set: an installed package has its .pyc files, while an editable checkout would
otherwise be compiled from source in every process, which is not what users see.

- cold:   the whole process, started to exited, that imports the client, constructs it and makes one small call;
- import: ``import modelgates_client`` alone, timed with ``perf_counter`` inside the process, against
  ``import httpx`` measured the same way (our import includes httpx's, so the ratio is at least 1).

Also reported: the wall time of ``python -m scripts.generate --out TMP`` on openapi/modelgates.yaml and, when it exists,
on ../shared/reference/modelgates.openapi.yaml; and the memory of reading a long stream with modelgates_client
(and the floor) in a fresh process, at two lengths (10,000 and 100,000 chunks; 1,000 and 10,000 with --quick):
the tracemalloc peak during the read (Python allocations) and, in a separate run without tracemalloc, how far
the peak RSS (VmHWM, reset through /proc/self/clear_refs just before the read) rises above the RSS before it.
Neither should grow with the stream's length.

--profile runs cProfile (with a CPU-time timer) over both sides of each workload and prints the time per op by
area (modelgates_client core / generated models, httpx, httpcore, h11, json, other; C built-ins charged to their
Python caller) side by side, then the top functions of modelgates_client; and times the phases of a cold start
(import, construct, first call, second call) inside fresh processes.

Figures depend on the machine and on whatever else runs on it; compare ratios, not absolute times.  CPU time of
a round includes httpx's and h11's work, which is identical for both sides.

Modules: config (workloads, settings, targets), impls (the implementations), cpu (CPU workloads), processes
(fresh processes: cold, import, memory, generate), profiling (--profile), report (the table), server (the
benchmark's HTTP server), cli (the command line).
"""
