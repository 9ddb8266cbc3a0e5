"""Projects: a TOML file binding data sources to roles, plus scenarios, settings and styles.

The project file is data only: it is parsed with :mod:`tomllib` and checked key by key;
nothing in it is ever executed or imported. Relative paths are resolved against the
folder of the project file; a relative path may not climb out of that folder (write an
absolute path for data elsewhere), and paths are written back exactly as the user wrote
them.

Example::

    [project]
    name = "Voorbeeldstad"
    format_version = 1
    [layers.gebouwen]
    path = "gebouwen.gpkg"
    layer = "pand"
    columns = { bouwjaar = "oorspronkelijkbouwjaar" }
    [scenarios.mijnscenario]
    base = "standaard"
    optoppen = { bouwjaar_min = 1960 }
    [styles.buurten]     # styles.style_to_dict(); applied by the app, kept here as plain data
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import math
import os
import stat
import tomllib
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from layers.errors import DataError
from layers.io import tempfiles
from layers.layer import Layer, LayerCollection
from layers.roles import REFERENCE_ROLE, ROLES
from layers.texts import Translatable

FORMAT_VERSION = 1
#: Files written before the format was versioned say 0 (or nothing, read as 1); the tables
#: were the same, so they open as they are and are written back as FORMAT_VERSION.
OLDEST_FORMAT_VERSION = 0
#: A project file larger than this is not a project file.
MAX_PROJECT_BYTES = 5_000_000
_MAX_INT = 2**53
_MAX_DEPTH = 6
_MAX_TEXT = 10_000
_LAYER_KEYS = {"path", "role", "layer", "columns", "options", "visible", "opacity", "bron"}
#: Keys of a layer's ``bron`` table (where the data came from; see :class:`LayerSource`).
BRON_KEYS = ("url", "opgehaald", "peildatum", "titel")
_TOP_KEYS = {"project", "layers", "scenarios", "settings", "styles"}


@dataclass
class LayerSource:
    """Where a project layer comes from.

    Parameters
    ----------
    key : layer name in the project (the ``[layers.<key>]`` table).
    path : the path as written in the project file (relative to its folder, or absolute).
    role : role of the layer (defaults to the key in the file).
    layer : layer inside a multi-layer file, or None.
    columns : user mapping canonical -> source column.
    options : reader options (``encoding``, ``crs``, ``sep``, ``band``, …).
    visible, opacity : display state stored with the project.
    bron : where the data came from, for the data check and the reports: ``url`` (service URL
        or file), ``opgehaald`` (ISO date of the download), ``peildatum`` (the data's own
        date, ISO date or year), ``titel`` (the source's name). Empty when unknown.
    """

    key: str
    path: str
    role: str
    layer: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    visible: bool = True
    opacity: float = 1.0
    bron: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``[layers.<key>]`` table (defaults left out)."""
        table: dict[str, Any] = {"path": self.path}
        if self.role != self.key:
            table["role"] = self.role
        if self.layer is not None:
            table["layer"] = self.layer
        if self.columns:
            table["columns"] = dict(self.columns)
        if self.options:
            table["options"] = dict(self.options)
        if not self.visible:
            table["visible"] = False
        if self.opacity != 1.0:
            table["opacity"] = self.opacity
        if self.bron:
            table["bron"] = dict(self.bron)
        return table


@dataclass
class Project:
    """A loaded project.

    Attributes
    ----------
    name : project name.
    path : the project file, or None for a new project not yet saved.
    layers : the loaded layers (empty when loaded with ``load_data=False``).
    sources : layer key -> :class:`LayerSource`, in file order.
    scenarios : scenario name -> scan name -> parameters (plain data for ``scans``).
    settings : free settings table (plain data).
    styles : layer key -> style dict (``styles.style_to_dict`` output; plain data).
    """

    name: str = "Nieuw project"
    path: Path | None = None
    layers: LayerCollection = field(default_factory=LayerCollection)
    sources: dict[str, LayerSource] = field(default_factory=dict)
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    styles: dict[str, dict[str, Any]] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def folder(self) -> Path:
        """Folder relative paths are resolved against (the working directory for a new project)."""
        return self.path.parent if self.path is not None else Path.cwd()

    def resolve(self, path_str: str) -> Path:
        """Absolute path of a source path as written in the project.

        URLs and connection strings (``https://…``, ``postgresql://…``) are returned
        unchanged, as ``str``.
        """
        if _is_url(path_str):
            return path_str  # type: ignore[return-value]
        path = Path(path_str).expanduser()
        return path if path.is_absolute() else (self.folder / path).resolve()

    def layer(self, key_or_role: str) -> Layer | None:
        """The layer with this key (name), else the first layer with this role, else None."""
        if key_or_role in self.layers:
            return self.layers[key_or_role]
        return self.layers.first(key_or_role)

    def gebieden_layers(self) -> list[str]:
        """Keys of the sources whose role is ``gebieden``."""
        return [key for key, source in self.sources.items() if source.role == "gebieden"]

    def add_layer(self, layer: Layer, source: LayerSource | None = None) -> None:
        """Append a layer (and its source, keyed by the layer's name) to the project."""
        self.layers.append(layer)
        if source is not None:
            source.key = layer.name
            self.sources[layer.name] = source
            layer.source = source

    def to_dict(self) -> dict[str, Any]:
        """The project file as plain data (what :meth:`save` writes)."""
        data: dict[str, Any] = {"project": {"name": self.name, "format_version": FORMAT_VERSION}}
        data["layers"] = {key: self._source_table(source) for key, source in self.sources.items()}
        for key in ("scenarios", "settings", "styles"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return _drop_none(data)

    def save(self, path: str | Path | None = None) -> Path:
        """Write the project file atomically (temp file in the same folder + ``os.replace``).

        Saving to another folder rewrites relative paths so they still point at the same
        files; a path that would have to climb out of the new folder is written absolute.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError(Translatable("geen bestandsnaam: geef een pad op om het project op te slaan"))
        target = target.resolve()
        old_folder = self.folder.resolve()
        if target.parent != old_folder:
            for source in self.sources.values():
                source.path = _rebase(source.path, old_folder, target.parent)
        text = tomli_w.dumps(self.to_dict())
        atomic_write_text(target, text)
        self.path = target
        return target

    def input_paths(self) -> list[Path]:
        """Absolute paths of the local files this project reads (URLs left out), and the project file."""
        paths = [] if self.path is None else [Path(self.path).resolve()]
        for source in self.sources.values():
            resolved = self.resolve(source.path)
            if isinstance(resolved, Path):
                paths.append(resolved)
                if resolved.suffix.lower() == ".shp":  # its .dbf/.shx/.prj/.cpg are inputs too
                    paths.extend(resolved.with_suffix(ext) for ext in (".dbf", ".shx", ".prj", ".cpg"))
            extra = source.options.get("bag3d") if isinstance(source.options, dict) else None
            if isinstance(extra, str) and not _is_url(extra):
                extra_path = Path(extra).expanduser()
                base = resolved.parent if isinstance(resolved, Path) else self.folder
                paths.append(extra_path if extra_path.is_absolute() else (base / extra_path).resolve())
        return paths

    def external_sources(self) -> list[tuple[str, str]]:
        """``(layer key, resolved path or URL)`` of every source outside the project folder.

        Shown to the user before they are read: a project file is data from someone else, and
        reading ``/home/…`` or a server because a project says so must never go unnoticed.
        """
        folder = self.folder.resolve()
        out = []
        for key, source in self.sources.items():
            resolved = self.resolve(source.path)
            if not isinstance(resolved, Path):
                out.append((key, _redact_url(str(resolved))))
            elif not resolved.is_relative_to(folder):
                out.append((key, str(resolved)))
        return out

    def load_layers(self, progress: Callable[[float, str], None] | None = None) -> None:
        """Read every source into ``layers`` (after :meth:`external_sources` was shown);
        ``progress(fraction, key)`` as each source is read."""
        _load_layers(self, progress)

    def check_output_path(self, out: str | Path) -> Path:
        """``out`` resolved; ``DataError`` when writing there would overwrite one of the project's inputs.

        Results never overwrite inputs: the check compares resolved paths and, for files
        that exist, the file identity (hard links, case-insensitive file systems).
        """
        target = Path(out).expanduser().resolve()
        for path in self.input_paths():
            if target == path or _same_file(target, path):
                raise DataError(
                    Translatable("dit bestand is een invoerbestand van het project en wordt niet overschreven; "
                                 "kies een andere naam voor de uitvoer"),
                    out,
                )
        return target

    def _source_table(self, source: LayerSource) -> dict[str, Any]:
        table = source.to_dict()
        layer = self.layers[source.key] if source.key in self.layers else None
        if layer is not None:  # the display state lives on the layer once loaded
            if not layer.visible:
                table["visible"] = False
            else:
                table.pop("visible", None)
            if layer.opacity != 1.0:
                table["opacity"] = layer.opacity
            else:
                table.pop("opacity", None)
        return table


def _redact_url(url: str) -> str:
    """A URL or connection string without its password, for display."""
    import re

    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", re.sub(r"(password=)\S+", r"\1***", url, flags=re.I))


def load_project(
    path: str | Path,
    *,
    load_data: bool = True,
    announce: "Callable[[str], None] | None" = None,
) -> Project:
    """Read a project file.

    Parameters
    ----------
    path : the ``.toml`` project file.
    load_data : read every layer (``False``: parse and check only; ``layers`` stays empty).
    announce : called with one Dutch line per source outside the project folder (or on a
        server), before anything is read; the CLI prints them on stderr.

    Returns
    -------
    Project

    Raises
    ------
    DataError
        For a missing or malformed file, a newer ``format_version``, wrong types, unknown
        roles, paths climbing out of the project folder, and (with ``load_data``) a
        missing data file, naming the role and the path.
    """
    path = Path(path)
    data = _parse(path)
    project = _project_from_dict(data, path.resolve())
    if announce is not None:
        for key, where in project.external_sources():
            announce(f"let op: laag '{key}' wordt gelezen van buiten de projectmap: {where}")
    if load_data:
        _load_layers(project)
    return project


def _parse(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise DataError(Translatable("projectbestand bestaat niet"), path)
    if path.is_dir():
        raise DataError(Translatable("dit is een map, geen projectbestand"), path)
    if path.stat().st_size > MAX_PROJECT_BYTES:
        raise DataError(Translatable("projectbestand is te groot om een projectbestand te zijn"), path)
    try:
        # utf-8-sig: Windows editors (Kladblok) put a byte order mark before the first table
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError(Translatable("projectbestand is geen UTF-8-tekst"), path) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Translatable("projectbestand is geen geldige TOML ({reason})", reason=str(exc)), path) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise DataError(Translatable("projectbestand is te diep genest om een projectbestand te zijn"), path) from None


def _project_from_dict(data: dict[str, Any], path: Path) -> Project:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise DataError(Translatable("onbekende onderdelen in het projectbestand: {names}", names=", ".join(sorted(unknown))),
                        path)
    header = _plain(_table(data.get("project", {}), "[project]", path), "[project]", path)
    version = header.get("format_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < OLDEST_FORMAT_VERSION:
        raise DataError(
            Translatable("format_version moet een geheel getal van {oldest} tot en met {newest} zijn, niet {version}",
                         oldest=OLDEST_FORMAT_VERSION, newest=FORMAT_VERSION, version=repr(version)),
            path,
        )
    if version > FORMAT_VERSION:
        raise DataError(
            Translatable("projectbestand heeft format_version {version}; deze app kent tot versie {newest}: werk de app bij",
                         version=version, newest=FORMAT_VERSION),
            path,
        )
    name = header.get("name", path.stem)
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise DataError(Translatable("[project] name moet een korte tekst zijn"), path)
    layers = _table(data.get("layers", {}), "[layers]", path)
    sources = {key: _source(key, value, path) for key, value in layers.items()}
    return Project(
        name=name,
        path=path,
        sources=sources,
        scenarios=_plain_tables(data.get("scenarios", {}), "scenarios", path),
        settings=_plain(_table(data.get("settings", {}), "[settings]", path), "settings", path),
        styles=_plain_tables(data.get("styles", {}), "styles", path),
        format_version=version,
    )


def _source(key: str, table: Any, project_path: Path) -> LayerSource:
    where = f"[layers.{key}]"
    table = _table(table, where, project_path)
    if not key.strip() or len(key) > 100:
        raise DataError(Translatable("laagnaam '{key}' moet een korte, niet-lege tekst zijn", key=key[:100]), project_path)
    unknown = set(table) - _LAYER_KEYS
    if unknown:
        raise DataError(Translatable("{where}: onbekende sleutels {names}", where=where, names=", ".join(sorted(unknown))),
                        project_path, key)
    role = table.get("role", key)
    if not isinstance(role, str) or (role not in ROLES and role != REFERENCE_ROLE):
        raise DataError(Translatable("{where}: onbekende rol {role}; kies uit: {roles} of {reference}", where=where,
                                     role=repr(role), roles=", ".join(ROLES), reference=REFERENCE_ROLE), project_path, key)
    path_str = _path_value(table.get("path"), where, project_path, key)
    layer = table.get("layer")
    if layer is not None and (not isinstance(layer, str) or len(layer) > 1000):
        raise DataError(Translatable("{where}: layer moet een tekst zijn", where=where), project_path, key)
    columns = _table(table.get("columns", {}), f"{where} columns", project_path)
    if not all(isinstance(v, str) and len(v) <= 1000 for v in columns.values()):
        raise DataError(Translatable("{where}: columns moet kolomnamen (tekst) bevatten", where=where), project_path, key)
    options = _plain(_table(table.get("options", {}), f"{where} options", project_path), f"{where} options", project_path)
    visible = table.get("visible", True)
    opacity = table.get("opacity", 1.0)
    if not isinstance(visible, bool):
        raise DataError(Translatable("{where}: visible moet true of false zijn", where=where), project_path, key)
    if isinstance(opacity, bool) or not isinstance(opacity, (int, float)) or not 0.0 <= float(opacity) <= 1.0:
        raise DataError(Translatable("{where}: opacity moet een getal tussen 0 en 1 zijn", where=where), project_path, key)
    bron = _table(table.get("bron", {}), f"{where} bron", project_path)
    if set(bron) - set(BRON_KEYS) or not all(isinstance(v, str) and len(v) <= _MAX_TEXT for v in bron.values()):
        raise DataError(Translatable("{where}: bron mag alleen {keys} als tekst bevatten", where=where, keys=", ".join(BRON_KEYS)),
                        project_path, key)
    return LayerSource(key, path_str, role, layer, dict(columns), options, visible, float(opacity), dict(bron))


def _path_value(value: Any, where: str, project_path: Path, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(Translatable("{where}: path ontbreekt of is geen tekst", where=where), project_path, key)
    if "\x00" in value or len(value) > 4096:
        raise DataError(Translatable("{where}: path is geen geldig pad", where=where), project_path, key)
    path = Path(value).expanduser()
    if not _is_url(value) and not path.is_absolute():
        folder = project_path.parent
        resolved = (folder / path).resolve()
        if not resolved.is_relative_to(folder.resolve()):
            raise DataError(
                Translatable("{where}: relatief pad '{value}' wijst buiten de projectmap; schrijf een absoluut pad",
                             where=where, value=value),
                project_path,
                key,
            )
    return value


#: Sources :func:`load_project` reads at the same time. Reading is largely GDAL, GEOS and Arrow
#: work that releases the GIL, so two threads overlap the two big BAG layers (measured at 1M
#: panden: 12.6 s one by one, 9.6 s on two threads, 11.7 s on three, on two cores).
READ_THREADS = 2


def _load_layers(project: Project, progress: Callable[[float, str], None] | None = None) -> None:
    """Read every source into ``project.layers``, in the project's order.

    The largest files start first, so the big layers overlap. ``progress(fraction, key)`` is
    called (in the calling thread) as each source is read. When a source fails, the sources not
    started are skipped and the error is raised; when several failed, the first in the project's
    order.
    """
    sources = list(project.sources.values())
    if len(sources) < 2 or READ_THREADS < 2:
        for done, source in enumerate(sources, 1):
            project.layers.append(read_source(project, source))
            if progress is not None:
                progress(done / len(sources), source.key)
        return
    largest_first = sorted(sources, key=lambda source: -source_size(project, source))
    with ThreadPoolExecutor(READ_THREADS, thread_name_prefix="bb-read") as pool:
        futures = {pool.submit(read_source, project, source): source for source in largest_first}
        pending, done = set(futures), 0
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                done += len(finished)
                if progress is not None:
                    progress(done / len(sources), ", ".join(futures[f].key for f in finished))
                if any(future.exception() is not None for future in finished):
                    break
        finally:  # an error or an interrupt: what has not started is not read at all
            for future in pending:
                future.cancel()
    by_key = {source.key: future for future, source in futures.items()}
    failed = [by_key[s.key] for s in sources if by_key[s.key].done() and not by_key[s.key].cancelled()
              and by_key[s.key].exception() is not None]
    if failed:
        raise failed[0].exception()
    for source in sources:
        project.layers.append(by_key[source.key].result())


def read_source(project: Project, source: LayerSource, *, bbox: Sequence[float] | None = None) -> Layer:
    """Read one source of ``project`` into a layer (not added to ``project.layers``).

    The layer is named after the source key and carries the source's display state. Safe to
    call from a worker thread (or process): nothing of the project is changed. ``bbox``
    (``[xmin, ymin, xmax, ymax]`` in the file's CRS) reads only the features whose bounding
    box intersects it (the tiled scan reads the big layers this way).

    Raises
    ------
    DataError
        For a missing file or anything wrong with the data, naming the file and the layer.
    """
    from layers.readers import check_role_geometry, read_layer  # readers imports the layer model, not this module

    key = source.key
    resolved = project.resolve(source.path)
    if not _is_url(source.path) and not resolved.exists():
        raise DataError(Translatable("bestand '{path}' voor rol '{role}' bestaat niet ({resolved})", path=source.path,
                                     role=source.role, resolved=str(resolved)), role=key)
    try:
        layer = read_layer(
            resolved,
            layer=source.layer,
            role=source.role,
            columns=source.columns or None,
            options={**(source.options or {}), "bbox": list(bbox)} if bbox is not None else (source.options or None),
            name=key,
        )
    except ValueError as exc:
        raise DataError(exc.args[0] if len(exc.args) == 1 else str(exc), resolved, key) from exc  # (a Translatable kept)
    check_role_geometry(layer, resolved)  # the scans compute on it: a point layer as gebouwen is refused
    layer.source = source
    layer.visible = source.visible
    layer.opacity = source.opacity
    return layer


def source_size(project: Project, source: LayerSource) -> float:
    """Bytes on disk of a source (with a Shapefile's ``.dbf``); ``inf`` for URLs and unknown sizes.

    Used to read small layers first.
    """
    resolved = project.resolve(source.path)
    if not isinstance(resolved, Path):
        return float("inf")
    try:
        if resolved.is_dir():
            return float(sum(p.stat().st_size for p in resolved.rglob("*") if p.is_file()))
        size = resolved.stat().st_size
        if resolved.suffix.lower() == ".shp" and resolved.with_suffix(".dbf").exists():
            size += resolved.with_suffix(".dbf").stat().st_size
        return float(size)
    except OSError:
        return float("inf")


# --------------------------------------------------------------------------- validation


def _table(value: Any, where: str, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DataError(Translatable("{where} moet een tabel zijn, niet {kind}", where=where, kind=type(value).__name__), path)
    return value


def _plain_tables(value: Any, where: str, path: Path) -> dict[str, dict[str, Any]]:
    tables = _table(value, f"[{where}]", path)
    for key, table in tables.items():
        _table(table, f"[{where}.{key}]", path)
    return _plain(tables, where, path)


def _plain(value: Any, where: str, path: Path, depth: int = 0) -> Any:
    """Check that ``value`` is plain, bounded data: tables, arrays, text, finite numbers, booleans."""
    if depth > _MAX_DEPTH:
        raise DataError(Translatable("{where}: te diep genest", where=where), path)
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{where}.{k}", path, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) > _MAX_TEXT:
            raise DataError(Translatable("{where}: lijst is te lang", where=where), path)
        return [_plain(v, where, path, depth + 1) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > _MAX_INT:
            raise DataError(Translatable("{where}: getal {value}… is te groot", where=where, value=str(value)[:20]), path)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(Translatable("{where}: getal moet eindig zijn, niet {value}", where=where, value=str(value)), path)
        return value
    if isinstance(value, str):
        if len(value) > _MAX_TEXT:
            raise DataError(Translatable("{where}: tekst is te lang", where=where), path)
        return value
    raise DataError(Translatable("{where}: waarde van type {kind} is niet toegestaan", where=where, kind=type(value).__name__),
                    path)


def _drop_none(value: Any) -> Any:
    """TOML has no null: leave out None values (recursively)."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_drop_none(v) for v in value if v is not None]
    return value


def _is_url(path_str: str) -> bool:
    from layers.readers import is_url

    return is_url(path_str)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def _rebase(path_str: str, old_folder: Path, new_folder: Path) -> str:
    path = Path(path_str).expanduser()
    if _is_url(path_str) or path.is_absolute():
        return path_str
    absolute = (old_folder / path).resolve()
    if absolute.is_relative_to(new_folder):
        return absolute.relative_to(new_folder).as_posix()
    return str(absolute)


def atomic_write_text(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` so that it holds either the old or the whole new text.

    A temporary file in the same folder is written, flushed to disk (``fsync``) and
    renamed over ``target`` (``os.replace``, atomic on POSIX and NTFS); the folder is
    synced too so the rename survives a power cut. The file keeps the permissions of the
    file it replaces (a new file gets the usual ones, not the 0600 of a temp file).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _file_mode(target)
    # named so a later run removes it when this process is killed (layers.io.tempfiles)
    tmp = tempfiles.temp_path(target.parent, "project", ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def _current_umask() -> int:
    # read once at import: os.umask() can only be read by setting it, which is not thread-safe
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_NEW_FILE_MODE = 0o666 & ~_current_umask()


def _file_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return _NEW_FILE_MODE


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network file systems refuse fsync on a folder; the rename itself is done
    finally:
        os.close(fd)
