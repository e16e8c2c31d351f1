"""Shared helpers of bench/sync-bench: processes with wall time and peak RSS, a counting loopback
proxy, medians, logging. Standard library only (python3 as shipped by Debian 12)."""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TIME_BIN = '/usr/bin/time'


def log(*parts):
    sys.stderr.write('[sync-bench %s] %s\n' % (time.strftime('%H:%M:%S'), ' '.join(str(p) for p in parts)))
    sys.stderr.flush()


class BenchError(Exception):
    """A step of the bench failed: the message says which and why."""


def find_executable(build_dir, name):
    """The built executable `name` under build_dir (searched a few levels deep), or None."""
    for sub in ('', 'server', 'sync', 'sync/cli', 'bench', 'storage'):
        path = os.path.join(build_dir, sub, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    for root, dirs, files in os.walk(build_dir):
        dirs[:] = [d for d in dirs if not d.startswith(('.', 'CMakeFiles')) and d not in ('work', 'peer')]
        if root.count(os.sep) - build_dir.count(os.sep) > 3:
            dirs[:] = []
        if name in files and os.access(os.path.join(root, name), os.X_OK):
            return os.path.join(root, name)
    return None


class Run:
    """The result of one process: exit code, wall seconds, peak RSS (MiB), output."""

    def __init__(self, cmd, code, wall_s, rss_mib, stdout, stderr):
        self.cmd, self.code, self.wall_s, self.rss_mib = cmd, code, wall_s, rss_mib
        self.stdout, self.stderr = stdout, stderr

    def last_json(self):
        """The last stdout line that parses as JSON, or None."""
        for line in reversed(self.stdout.strip().splitlines()):
            line = line.strip()
            if line.startswith(('{', '[')):
                try:
                    return json.loads(line)
                except ValueError:
                    continue
        return None

    def describe(self):
        tail = '\n'.join((self.stderr or '').strip().splitlines()[-15:])
        return 'exit %s after %.2f s: %s\n%s' % (self.code, self.wall_s, ' '.join(self.cmd), tail)


def run(cmd, cwd=None, env=None, timeout=None, measure_rss=False, check=True):
    """Runs cmd to completion. Wall time is taken around the process (fork to exit); peak RSS
    (VmHWM, via /usr/bin/time) when measure_rss."""
    full = list(cmd)
    rss_file = None
    if measure_rss and os.path.exists(TIME_BIN):
        fd, rss_file = tempfile.mkstemp(prefix='sync-bench-rss-')
        os.close(fd)
        full = [TIME_BIN, '-f', '%M', '-o', rss_file] + full
    t0 = time.perf_counter()
    try:
        p = subprocess.run(full, cwd=cwd, env=env, timeout=timeout, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    except subprocess.TimeoutExpired as e:
        raise BenchError('timed out after %s s: %s' % (timeout, ' '.join(cmd))) from e
    wall = time.perf_counter() - t0
    rss = None
    if rss_file:
        try:
            with open(rss_file) as f:
                lines = [l for l in f.read().split('\n') if l.strip().isdigit()]
            rss = int(lines[-1]) / 1024.0 if lines else None
        finally:
            os.unlink(rss_file)
    r = Run(list(cmd), p.returncode, wall, rss, p.stdout, p.stderr)
    if check and p.returncode != 0:
        raise BenchError(r.describe())
    return r


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def file_bytes(path):
    """A SQLite file's size including its -wal and -shm files when present."""
    total = 0
    for suffix in ('', '-wal', '-journal'):
        if os.path.exists(path + suffix):
            total += os.path.getsize(path + suffix)
    return total


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class CountingProxy:
    """A loopback TCP proxy that counts the bytes each way (downstream = server to client).
    Used only on the pass that measures wire bytes, never on a timed pass."""

    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.down = 0
        self.up = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(('127.0.0.1', 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stop:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._pump, args=(client, upstream, 'up'), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, 'down'), daemon=True).start()

    def _pump(self, src, dst, direction):
        try:
            while True:
                data = src.recv(1 << 16)
                if not data:
                    break
                with self._lock:
                    if direction == 'down':
                        self.down += len(data)
                    else:
                        self.up += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def snapshot(self):
        with self._lock:
            return {'down': self.down, 'up': self.up, 'connections': self.connections}

    def close(self):
        self._stop = True
        self._server.close()


class Server:
    """`outpost-server serve` on 127.0.0.1 with a free port; stop() ends it with SIGTERM."""

    def __init__(self, exe, db, log_path):
        self._log = open(log_path, 'w')
        self.proc = subprocess.Popen([exe, 'serve', '--db', db, '--listen', '127.0.0.1:0'],
                                     stdout=subprocess.PIPE, stderr=self._log, text=True)
        deadline = time.time() + 60
        self.url = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if 'listening on ' in line:
                self.url = line.strip().split('listening on ', 1)[1]
                break
        if not self.url:
            self.stop()
            raise BenchError('outpost-server serve did not start (log: %s)' % log_path)
        self.port = int(self.url.rsplit(':', 1)[1])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
