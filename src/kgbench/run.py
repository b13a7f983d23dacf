"""One benchmark run: data, load, validation, queries on every engine, throughput, memory."""

import datetime
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgbench import servers, shared_store
from kgbench.client import HttpClient
from kgbench.engines import FROM_THE_ENGINE, BenchQuery, InProcess, KeptAnswer, OverHttp
from kgbench.generate import SCALES, generate
from kgbench.generate.manifest import MANIFEST, fingerprint
from kgbench.machine import describe
from kgbench.measure import Engine, measure
from kgbench.processes import child_env, peak_rss_mb
from kgbench.report import KEPT, NAMED, write_report
from kgbench.throughput import throughput
from kgbench.workload import EXPECTED_ROWS, THROUGHPUT_QUERY, bench_queries
from kgservice import allocator
from kgservice.settings import PROJECT_ROOT, Settings

Log = Callable[[str], None]
KEPT_ANSWERS = "kept answers"
BUNDLED = "bundled"  # the bundled data alone, samples included, nothing generated
SCALE_NAMES = (BUNDLED, *sorted(SCALES))


@dataclass(frozen=True)
class Options:
    scale: str
    seed: int = 1
    work: Path = PROJECT_ROOT / "var" / "bench"
    docs: Path | None = PROJECT_ROOT / "docs" / "benchmarks"
    cap_s: float = 60.0  # one query on one engine
    repeats: int = 10
    budget_s: float = 20.0  # all runs of one query on one engine
    load_cap_s: float = 600.0  # starting rdflib-endpoint (it parses everything first)
    naive_cap_s: float = 300.0  # pyshacl over the whole graph
    service_load_cap_s: float = 600.0  # the service's own first-start loader (0: skip)
    validation_repeats: int = 5
    clients: int = 8
    requests: int = 400
    bound_s: float = 30.0
    engines: tuple[str, ...] = ("oxigraph", "rdflib")
    resume_load: bool = False  # the store holds the generated and reference data already
    command: str = ""


@dataclass
class Paths:
    root: Path
    data: Path = field(init=False)
    store: Path = field(init=False)
    copy: Path = field(init=False)
    dump: Path = field(init=False)
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data, self.store = self.root / "data", self.root / "store"
        self.copy, self.dump = self.root / "store-copy", self.root / "dump.nq"
        self.log = self.root / "servers.log"


def bundled_manifest(data: Path) -> dict[str, object]:
    """The bundled data alone: parameters from its Khon Kaen sample, nothing generated."""
    settings = Settings()
    base, sample = settings.base_iri, settings.bundled_data_dir / "sample"
    submission = sample / "lao-pao-40.ttl"
    manifest: dict[str, object] = {
        "scale": BUNDLED,
        "seed": 0,
        "generator": None,
        "triples": {"total": 0},
        "files": 0,
        "organisations": {},
        "projects": {},
        "expected": {},
        "samples": {
            "province": f"{base}area/40",
            "provincial_strategy": f"{base}plan/provincial-40-2566-2570/strategy/1",
            "project": f"{base}plan/lao-sao-400102-2566-2570/project/1",
            "organisation": f"{base}org/lao-pao-40",
            "fiscal_year": 2567,
            "submission": str(submission.relative_to(PROJECT_ROOT)),
            "submission_triples": len(list(ox.parse(path=submission, format=ox.RdfFormat.TURTLE))),
        },
    }
    data.mkdir(parents=True, exist_ok=True)
    (data / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def ensure_data(options: Options, data: Path, log: Log) -> dict[str, object]:
    """Reuse the generated files when they are of this scale and seed."""
    if options.scale == BUNDLED:
        return bundled_manifest(data)
    manifest_path = data / MANIFEST
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        wanted = (options.scale, options.seed, fingerprint())
        if (manifest["scale"], manifest["seed"], manifest.get("generator")) == wanted:
            log(f"reusing {data}")
            return manifest  # type: ignore[no-any-return]
    log(f"generating {options.scale} (seed {options.seed}) into {data}")
    settings = Settings()
    return generate(
        SCALES[options.scale],
        options.seed,
        data,
        areas=settings.bundled_data_dir / "areas.ttl",
        base=settings.base_iri,
    )


def _python(module: str, *args: object, timeout: float | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed: {done.stderr[-800:]}")
    return done.stdout


def load(options: Options, paths: Paths, log: Log) -> dict[str, object]:
    shutil.rmtree(paths.copy, ignore_errors=True)
    if not options.resume_load:
        shutil.rmtree(paths.store, ignore_errors=True)
    log("loading the store")
    flags = _bundled_flag(paths) + (["--resume"] if options.resume_load else [])
    result: dict[str, object] = json.loads(
        _python("kgbench.load_store", paths.store, paths.data, *flags)
    )
    result["disk_mb"] = round(
        sum(f.stat().st_size for f in paths.store.rglob("*") if f.is_file()) / 1024**2, 1
    )
    shutil.copytree(paths.store, paths.copy)
    return result


def _json(text: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(text)
    return loaded


def _bundled_flag(paths: Paths) -> list[str]:
    return ["--all-bundled"] if paths.root.name.startswith(f"{BUNDLED}-") else []


def service_load(options: Options, paths: Paths, log: Log) -> dict[str, object]:
    """The service's first-start loader on the same files, into a store of its own."""
    log("loading with the service's first-start loader")
    target = paths.root / "store-bootstrap"
    shutil.rmtree(target, ignore_errors=True)
    try:
        return _json(
            _python(
                "kgbench.service_loader",
                target,
                paths.data,
                *_bundled_flag(paths),
                timeout=options.service_load_cap_s,
            )
        )
    except subprocess.TimeoutExpired:
        return {"status": f"over cap ({options.service_load_cap_s:.0f} s)"}
    except RuntimeError as exc:
        return {"status": f"failed: {str(exc)[-300:]}"}
    finally:
        shutil.rmtree(target, ignore_errors=True)


def validation(options: Options, paths: Paths, submission: Path, log: Log) -> dict[str, object]:
    log(f"validating {submission.name}")
    try:
        return _json(
            _python(
                "kgbench.validate_one",
                paths.copy,
                submission,
                options.validation_repeats,
                timeout=options.cap_s * (options.validation_repeats + 1),
            )
        )
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return {"status": f"failed: {str(exc)[-300:]}"}


def naive_validation(options: Options, paths: Paths, log: Log) -> dict[str, object]:
    log("naive validation (pyshacl over everything)")
    settings = Settings()
    argv = [
        sys.executable,
        "-m",
        "kgbench.naive_shacl",
        str(paths.dump),
        str(settings.ontology_dir),
        str(settings.shapes_dir),
    ]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=options.naive_cap_s, env=child_env()
        )
        out = done.stdout
        status = "ok" if done.returncode == 0 else f"failed: {done.stderr[-300:]}"
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        status = f"over cap ({options.naive_cap_s:.0f} s)"
    phases = {json.loads(line)["phase"]: json.loads(line) for line in out.splitlines() if line}
    return {"status": status, **{f"{k}_s": round(v["seconds"], 2) for k, v in phases.items()}}


def dump(paths: Paths) -> None:
    store = ox.Store.read_only(str(paths.copy))
    store.dump(str(paths.dump), format=ox.RdfFormat.N_QUADS)


def start_servers(
    options: Options, paths: Paths, log: Log
) -> tuple[dict[str, servers.Server], dict[str, dict[str, object]]]:
    wanted = {"service": servers.service(paths.store, options.cap_s)}
    if "oxigraph" in options.engines:
        wanted["oxigraph serve"] = servers.oxigraph(paths.copy, options.cap_s)
    if "rdflib" in options.engines:
        wanted["rdflib-endpoint"] = servers.rdflib_endpoint(paths.dump, options.load_cap_s)
    running: dict[str, servers.Server] = {}
    facts: dict[str, dict[str, object]] = {}
    for name, server in wanted.items():
        log(f"starting {name}")
        try:
            server.start(paths.log)
        except (TimeoutError, RuntimeError) as exc:
            facts[name] = {"status": f"not started: {exc}"}
            continue
        running[name] = server
        facts[name] = {
            "start_s": round(server.start_s or 0, 2),
            "rss_after_start_mb": server.rss_mb(),
        }
    for name in sorted({"oxigraph serve", "rdflib-endpoint"} - set(wanted)):
        facts[name] = {"status": "not run (left out with --engines)"}
    return running, facts


def engines_for(options: Options, paths: Paths, running: dict[str, servers.Server]) -> list[Engine]:
    found: list[Engine] = [InProcess(paths.copy, options.cap_s)]
    service = running["service"]
    found.append(OverHttp(NAMED, service, paths.log, options.cap_s, named=True))
    found.append(KeptAnswer(KEPT, service, paths.log, options.cap_s))
    found.append(OverHttp("service /sparql", service, paths.log, options.cap_s, named=False))
    for name in ("oxigraph serve", "rdflib-endpoint"):
        if name in running:
            found.append(OverHttp(name, running[name], paths.log, options.cap_s, named=False))
    return found


def measure_throughput(
    options: Options, running: dict[str, servers.Server], query: BenchQuery, log: Log
) -> dict[str, dict[str, object]]:
    """Each server, the service computing every answer, then the service with kept answers."""
    results = {}
    runs = [(name, server, FROM_THE_ENGINE) for name, server in running.items()]
    if "service" in running:
        runs.append((f"service, {KEPT_ANSWERS}", running["service"], {}))
    for name, server, headers in runs:
        log(f"throughput on {name}")

        def send(
            client: HttpClient, server: servers.Server = server, headers: dict[str, str] = headers
        ) -> object:
            if server.name == "service":
                return client.get(f"/queries/{query.name}", query.params, headers)
            return client.post_query(server.query_path, query.inline_text)

        def port(server: servers.Server = server) -> int:
            return server.port

        results[name] = {
            "query": query.label,
            **throughput(
                port,
                send,
                clients=options.clients,
                requests=options.requests,
                bound_s=options.bound_s,
                cap_s=options.cap_s,
            ),
        }
    return results


def expected_rows(
    manifest: dict[str, object], queries: dict[str, dict[str, dict[str, object]]]
) -> dict[str, dict[str, object]]:
    expected: dict[str, int] = manifest["expected"]  # type: ignore[assignment]
    checks = {}
    for label, what in EXPECTED_ROWS.items():
        if label not in queries or what not in expected:
            continue
        rows = queries[label].get(NAMED, {}).get("rows")
        want = expected[what]
        verdict = (
            "same" if rows == want else ("twice (both orders)" if rows == 2 * want else "differs")
        )
        checks[label] = {"rows": rows, "expected": want, "what": what, "verdict": verdict}
    return checks


def run(options: Options, log: Log = print) -> dict[str, object]:
    started = _now()
    paths = Paths(options.work / f"{options.scale}-{options.seed}")
    paths.root.mkdir(parents=True, exist_ok=True)
    manifest = ensure_data(options, paths.data, log)
    samples: dict[str, object] = manifest["samples"]  # type: ignore[assignment]
    loaded = {"bulk": load(options, paths, log)}
    if options.service_load_cap_s > 0:
        loaded["service first start"] = service_load(options, paths, log)
    checked = validation(options, paths, _submission(paths, samples), log)
    if "rdflib" in options.engines or options.naive_cap_s > 0:
        dump(paths)
    naive = (
        naive_validation(options, paths, log)
        if options.naive_cap_s > 0
        else {"status": "not run (--naive-cap 0)"}
    )
    queries = bench_queries(Settings(), samples)
    running, facts = start_servers(options, paths, log)
    engines = engines_for(options, paths, running)
    try:
        log(f"{len(queries)} queries x {len(engines)} engines")
        results = measure(queries, engines, repeats=options.repeats, budget_s=options.budget_s)
        selective = next((q for q in queries if q.label == THROUGHPUT_QUERY), queries[0])
        rates = measure_throughput(options, running, selective, log)
        for name, server in running.items():
            facts[name]["rss_after_queries_mb"] = server.rss_mb()
            facts[name]["peak_rss_mb"] = peak_rss_mb(server.proc.pid) if server.proc else None
            facts[name]["allocator"] = allocator.in_use(server.proc.pid) if server.proc else None
    finally:
        for engine in engines:
            engine.close()
        for server in running.values():
            server.stop()
    report = {
        "scale": options.scale,
        "seed": options.seed,
        "command": options.command,
        "started": started,
        "finished": _now(),
        "machine": describe(),
        "options": {k: str(v) for k, v in asdict(options).items()},
        "data": {
            "triples": manifest["triples"],
            "organisations": manifest["organisations"],
            "projects": manifest["projects"],
            "expected": manifest["expected"],
        },
        "load": loaded,
        "servers": facts,
        "engines": [e.name for e in engines],
        "floor_allocator": next(e.allocator for e in engines if isinstance(e, InProcess)),
        "queries": results,
        "expected_rows": expected_rows(manifest, results),
        "throughput": rates,
        "validation": {
            "submission": samples["submission"],
            "triples": samples["submission_triples"],
            **checked,
        },
        "naive_validation": naive,
    }
    if "virtuoso" in options.engines:
        log("the service over oxigraph serve and Virtuoso")
        report["remote_stores"] = shared_store.main(
            paths.data,
            paths.root / "remote-stores",
            clients=options.clients,
            seconds=shared_store.SECONDS,
            repeats=options.repeats,
        )
    if options.docs is not None:
        for path in write_report(options.docs, options.scale, report):
            log(f"wrote {path}")
    return report


def _submission(paths: Paths, samples: dict[str, object]) -> Path:
    """A generated file, or (bundled scale) a bundled one named from the project root."""
    generated = paths.data / str(samples["submission"])
    return generated if generated.exists() else PROJECT_ROOT / str(samples["submission"])


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
