"""The web server and the background worker share one SQLite file (the default set-up)."""

import threading
import time

from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper


def _connection(path, alias):
    """A connection to the file as settings make it (also when the tests run on PostgreSQL)."""
    from config.settings.base import SQLITE_OPTIONS

    settings = dict(
        connections["default"].settings_dict,
        ENGINE="django.db.backends.sqlite3",
        NAME=str(path),
        OPTIONS=dict(SQLITE_OPTIONS),
    )
    return DatabaseWrapper(settings, alias)


def test_a_request_that_reads_then_writes_waits_for_the_worker_instead_of_failing(
    tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        _reads_then_writes_while_the_worker_writes(tmp_path)


def _reads_then_writes_while_the_worker_writes(tmp_path):
    path = tmp_path / "shared.sqlite3"
    web = _connection(path, "web")
    with web.cursor() as cursor:
        cursor.execute("CREATE TABLE rows (who TEXT)")
    worker_started, failures = threading.Event(), []

    def worker_writes():
        worker = _connection(path, "worker")  # a connection belongs to its thread
        try:
            worker_started.set()
            with worker.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("INSERT INTO rows VALUES ('worker')")
                cursor.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            worker.close()

    thread = threading.Thread(target=worker_writes)
    web.ensure_connection()
    web._start_transaction_under_autocommit()  # what transaction.atomic does on SQLite
    with web.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rows")  # a login reads the user first...
        thread.start()
        worker_started.wait()
        time.sleep(0.3)  # ...while the worker wants to write...
        cursor.execute("INSERT INTO rows VALUES ('web')")  # ...then writes
    web.commit()
    thread.join(timeout=30)
    with web.cursor() as cursor:
        cursor.execute("SELECT who FROM rows ORDER BY who")
        assert [r[0] for r in cursor.fetchall()] == ["web", "worker"]
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    web.close()
    assert failures == []
