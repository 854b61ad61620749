#!/usr/bin/env python3
"""Backs up and restores the platform: its PostgreSQL database and its media files.

    python3 -m scripts.backup backup  --database-url URL --media DIR --out DIR
    python3 -m scripts.backup restore --database-url URL --media DIR --from DIR \
        [--force]

A backup is a directory holding three files:

- ``database.dump``: the whole database, by ``pg_dump`` in its custom format
  (compressed, consistent even while the site is in use, read by ``pg_restore``);
- ``media.tar.gz``: the media directory (``MEDIA_ROOT``: uploaded documents and
  images, and the images' renditions);
- ``manifest.json``: when and from where, each file's size and SHA-256, the
  number of pages, entries, documents... at backup time and each app's latest
  migration. It is written last: a directory without it is not a backup.

``restore`` checks both files against the manifest, refuses a database that
already has tables and a media directory that is not empty (``--force``
replaces them: the database's ``public`` schema is emptied, the old media
directory is kept beside the new one), restores the database in a single
transaction, then the media files. The search index is not part of a backup:
after a restore, run ``manage.py update_index``. See docs/backup.md.

The database URL is Django's (``DATABASE_URL``); a password in it is handed to
PostgreSQL's tools in the environment, never on their command line.
``pg_dump``, ``pg_restore`` and ``psql`` are Debian's newest
(/usr/lib/postgresql/<major>/bin), or those on the PATH; ``PG_BINDIR`` names
another directory. Stdlib only: runs without the project's virtualenv.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
FORMAT = 1
SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}

# What the manifest (and a restore) counts, so an operator can compare.
COUNTS = {
    "pages": ("wagtailcore_page", "SELECT count(*) FROM wagtailcore_page"),
    "live_pages": (
        "wagtailcore_page",
        "SELECT count(*) FROM wagtailcore_page WHERE live",
    ),
    "inventory_entries": (
        "inventory_inventoryentry",
        "SELECT count(*) FROM inventory_inventoryentry",
    ),
    "published_inventory_entries": (
        "inventory_inventoryentry",
        "SELECT count(*) FROM inventory_inventoryentry WHERE live",
    ),
    "documents": ("wagtaildocs_document", "SELECT count(*) FROM wagtaildocs_document"),
    "images": ("wagtailimages_image", "SELECT count(*) FROM wagtailimages_image"),
    "users": ("auth_user", "SELECT count(*) FROM auth_user"),
}


class BackupError(Exception):
    """A failure the operator must see; the message says what to do."""


# --- PostgreSQL -------------------------------------------------------------


class Database:
    """A database named by a Django DATABASE_URL, for PostgreSQL's client tools."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise BackupError(
                f"Not a PostgreSQL URL: {parts.scheme}://… (expected "
                "postgres://user:password@host:port/name)."
            )
        userinfo, _at, hostport = parts.netloc.rpartition("@")
        user, _colon, password = userinfo.partition(":")
        self.name = unquote(parts.path.lstrip("/"))
        if not self.name:
            raise BackupError("The database URL names no database.")
        self.user = unquote(user)
        self.host = hostport
        netloc = f"{user}@{hostport}" if user else hostport
        # libpq reads a URI as the database name; the password goes to PGPASSWORD.
        self.dsn = urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))
        self.env = {**os.environ}
        if password:
            self.env["PGPASSWORD"] = unquote(password)
        self.bindir = client_bindir()

    def __str__(self) -> str:
        return f"database {self.name!r} on {self.host or 'the local socket'}"

    def tool(self, name: str) -> str:
        path = self.bindir / name if self.bindir else shutil.which(name)
        if not path or not Path(path).exists():
            raise BackupError(
                f"{name} not found: install PostgreSQL's client tools "
                "(apt-get install postgresql-client) or set PG_BINDIR."
            )
        return str(path)

    def run(self, tool: str, *args: str) -> str:
        command = [self.tool(tool), *args]
        result = subprocess.run(
            command, env=self.env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(
                f"{tool} failed on {self} (exit {result.returncode}):\n"
                f"{result.stderr.strip()}"
            )
        return result.stdout

    def query(self, sql: str) -> list[str]:
        """Rows of a one-column query, as text."""
        out = self.run(
            "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-d", self.dsn, "-c", sql,
        )  # fmt: skip
        return [line for line in out.splitlines() if line]

    def tables(self) -> list[str]:
        return self.query(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1"
        )

    def counts(self) -> dict[str, int]:
        present = {name.split(".", 1)[1] for name in self.tables()}
        counts = {}
        for label, (table, sql) in COUNTS.items():
            if table in present:
                counts[label] = int(self.query(sql)[0])
        return counts

    def migrations(self) -> dict[str, str]:
        if "public.django_migrations" not in self.tables():
            return {}
        rows = self.query(
            "SELECT app || '|' || max(name) FROM django_migrations "
            "GROUP BY app ORDER BY app"
        )
        return dict(row.split("|", 1) for row in rows)

    def server_version(self) -> str:
        return self.query("SHOW server_version")[0]


def client_bindir() -> Path | None:
    """PG_BINDIR, else Debian's newest PostgreSQL binaries, else None (the PATH)."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    try:
        from scripts.postgres_server import PostgresError, find_bindir  # noqa: PLC0415 - the script also runs copied alone
    except ImportError:  # the script was copied elsewhere alone
        return None
    try:
        return find_bindir()
    except PostgresError:
        return None


# --- Files ------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_summary(media: Path) -> dict[str, int]:
    files = [path for path in media.rglob("*") if path.is_file()]
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


def is_empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def write_media_archive(media: Path, target: Path) -> dict[str, int]:
    """Archive the directory; count the files as archived (uploads go on)."""
    summary = {"files": 0, "bytes": 0}

    def count(info: tarfile.TarInfo) -> tarfile.TarInfo:
        if info.isfile():
            summary["files"] += 1
            summary["bytes"] += info.size
        return info

    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(media, arcname="media", filter=count)
    return summary


def safe_members(archive: tarfile.TarFile):
    """For Pythons without tarfile's data filter: plain files and folders only."""
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or name.parts[:1] != ("media",):
            raise BackupError(f"Unsafe path in the media archive: {member.name}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"Unexpected entry in the media archive: {member.name}")
        yield member


def extract_media_archive(archive_path: Path, into: Path) -> Path:
    with tarfile.open(archive_path, "r:gz") as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter="data")
        else:  # Python 3.11.0-3.11.3
            archive.extractall(into, members=safe_members(archive))  # noqa: S202
    extracted = into / "media"
    if not extracted.is_dir():
        raise BackupError("The media archive holds no media/ folder.")
    return extracted


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def say(message: str) -> None:
    print(message, flush=True)


# --- backup -----------------------------------------------------------------


def backup(database_url: str, media: Path, out: Path) -> dict:
    """Write a backup of the database and the media directory into ``out``."""
    database = Database(database_url)
    media = media.resolve()
    if not media.is_dir():
        raise BackupError(
            f"The media directory {media} does not exist: pass the site's MEDIA_ROOT."
        )
    if not is_empty_dir(out):
        raise BackupError(f"{out} is not empty: give each backup a new directory.")
    # A backup holds personal data and password hashes: readable by its owner only.
    os.umask(0o077)
    out.mkdir(parents=True, exist_ok=True)

    started = now()
    say(f"Backing up {database} …")
    counts = database.counts()  # just before the dump: the site may still write
    migrations = database.migrations()
    server_version = database.server_version()
    partial = out / (DATABASE_FILE + ".partial")
    database.run(
        "pg_dump", "--format=custom", "--lock-wait-timeout=60s",
        f"--file={partial}", f"--dbname={database.dsn}",
    )  # fmt: skip
    # The dump's table of contents must read back (pg_dump failing raised above).
    database.run("pg_restore", "--list", str(partial))
    partial.rename(out / DATABASE_FILE)

    say(f"Backing up the media directory {media} …")
    partial = out / (MEDIA_FILE + ".partial")
    archived = write_media_archive(media, partial)
    partial.rename(out / MEDIA_FILE)

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": now().isoformat(),
        "database": {
            "file": DATABASE_FILE,
            "name": database.name,
            "host": database.host,
            "server_version": server_version,
            "pg_dump": database.run("pg_dump", "--version").strip(),
            "bytes": (out / DATABASE_FILE).stat().st_size,
            "sha256": sha256(out / DATABASE_FILE),
            "counts": counts,
            "migrations": migrations,
        },
        "media": {
            "file": MEDIA_FILE,
            "source": str(media),
            **archived,
            "archive_bytes": (out / MEDIA_FILE).stat().st_size,
            "sha256": sha256(out / MEDIA_FILE),
        },
    }
    partial = out / (MANIFEST_FILE + ".partial")
    partial.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    partial.rename(out / MANIFEST_FILE)
    say(
        f"Backup complete in {out}: database {manifest['database']['bytes']:,} "
        f"bytes, {manifest['media']['files']} media files."
    )
    say("Counts at backup time: " + format_counts(counts))
    return manifest


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{label.replace('_', ' ')} {n}" for label, n in counts.items())


# --- restore ----------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST_FILE
    if not path.exists():
        raise BackupError(
            f"{path} is missing: {source} is not a complete backup "
            "(the manifest is written last)."
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for part in ("database", "media"):
        file = source / manifest[part]["file"]
        if not file.exists():
            raise BackupError(f"{file} is missing.")
        if sha256(file) != manifest[part]["sha256"]:
            raise BackupError(
                f"{file} does not match its checksum in the manifest: "
                "the backup is damaged; use another one."
            )
    return manifest


def empty_public_schema(database: Database) -> None:
    database.query(
        "BEGIN; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; "
        "GRANT USAGE ON SCHEMA public TO PUBLIC; COMMIT;"
    )


def restore(database_url: str, media: Path, source: Path, force: bool = False) -> dict:
    """Restores a backup into a database and a media directory.

    Refuses (and changes nothing) when the database has tables or the media
    directory has files, unless ``force``.
    """
    database = Database(database_url)
    media = media.resolve()
    manifest = read_manifest(source)
    say(f"Backup of {manifest['created_at']} checked: both files are intact.")

    tables = database.tables()
    media_in_use = not is_empty_dir(media)
    if (tables or media_in_use) and not force:
        problems = []
        if tables:
            problems.append(f"{database} has {len(tables)} table(s)")
        if media_in_use:
            problems.append(f"{media} is not empty")
        raise BackupError(
            "Refusing to restore: "
            + " and ".join(problems)
            + ". Restore into an empty database and media directory, or pass "
            "--force to replace them (take a backup of them first)."
        )
    if tables:
        outside = [name for name in tables if not name.startswith("public.")]
        if outside:
            raise BackupError(
                "--force only empties the public schema; the database also has "
                + ", ".join(outside[:5])
            )
        say(f"--force: emptying the public schema of {database} …")
        empty_public_schema(database)

    say(f"Restoring the database into {database} …")
    database.run(
        "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
        "--single-transaction", f"--dbname={database.dsn}",
        str(source / manifest["database"]["file"]),
    )  # fmt: skip

    say(f"Restoring the media files into {media} …")
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as tmp:
        extracted = extract_media_archive(source / manifest["media"]["file"], Path(tmp))
        if media.exists() and any(media.iterdir()):
            kept = media.with_name(
                f"{media.name}.before-restore-{now().strftime('%Y%m%dT%H%M%S')}"
            )
            media.rename(kept)
            say(f"--force: the previous media files are kept in {kept}")
        elif media.exists():
            media.rmdir()
        extracted.rename(media)

    counts = database.counts()
    summary = media_summary(media)
    say("Restored: " + format_counts(counts) + f", media files {summary['files']}.")
    expected = manifest["database"].get("counts", {})
    if expected and expected != counts:
        say(
            "Note: the counts taken at backup time differ ("
            + format_counts(expected)
            + "); the site was written to while the backup ran."
        )
    if summary["files"] != manifest["media"]["files"]:
        raise BackupError(
            f"{summary['files']} media files restored, "
            f"{manifest['media']['files']} expected."
        )
    say(
        "Next: run `manage.py migrate` (if the code is newer than the backup), then "
        "`manage.py update_index` to rebuild the search index, then start the web "
        "processes and the qcluster worker."
    )
    return {"counts": counts, "media": summary}


# --- command line -----------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Back up or restore the platform's database and media files "
        "(docs/backup.md)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup into a new directory")
    make.add_argument("--database-url", required=True, help="DATABASE_URL to dump")
    make.add_argument("--media", required=True, type=Path, help="MEDIA_ROOT")
    make.add_argument("--out", required=True, type=Path, help="a new directory")
    back = commands.add_parser("restore", help="restore a backup directory")
    back.add_argument("--database-url", required=True, help="an empty database")
    back.add_argument("--media", required=True, type=Path, help="MEDIA_ROOT")
    back.add_argument("--from", dest="source", required=True, type=Path)
    back.add_argument(
        "--force",
        action="store_true",
        help="replace a database that has tables and a media directory that has "
        "files (the old media directory is kept beside the new one)",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            backup(args.database_url, args.media, args.out)
        else:
            restore(args.database_url, args.media, args.source, force=args.force)
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
