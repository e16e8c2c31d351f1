"""The PouchDB peer (../shared/bench/pouchdb): copied into the build dir, `npm ci` there, then
`node bench.js --size S --batch-size 1000` (its faster setting) and `node export.js` for the CSVs
both systems load."""

import hashlib
import json
import os
import shutil

from benchlib import BenchError, log, run



def _ignore(source):
    """Leaves out the peer's installed modules and its run output (top level only)."""
    def ignore(directory, names):
        if os.path.abspath(directory) != source:
            return []
        return [n for n in names if n in ('node_modules', 'work', 'results') or n.startswith('dataset')]
    return ignore


def locate_peer(repo):
    """The peer's source: $OUTPOST_PEER_DIR, ../shared/bench/pouchdb next to the repo, or
    /work/shared/bench/pouchdb."""
    candidates = [os.environ.get('OUTPOST_PEER_DIR'),
                  os.path.join(os.path.dirname(repo), 'shared', 'bench', 'pouchdb'),
                  '/work/shared/bench/pouchdb']
    for c in candidates:
        if c and os.path.isfile(os.path.join(c, 'bench.js')):
            return os.path.abspath(c)
    raise BenchError('the PouchDB peer is not found (looked in %s); set OUTPOST_PEER_DIR'
                     % ', '.join(c for c in candidates if c))


def _digest(path):
    h = hashlib.sha256()
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if os.path.isfile(full):
            with open(full, 'rb') as f:
                h.update(name.encode() + b'\0' + f.read())
    lib = os.path.join(path, 'lib')
    if os.path.isdir(lib):
        h.update(_digest(lib).encode())
    return h.hexdigest()


def prepare(source, dest):
    """Copies the peer into dest (again when its files changed) and runs `npm ci` there once."""
    want = _digest(source)
    marker = os.path.join(dest, '.sync-bench-source')
    if os.path.exists(marker) and open(marker).read() == want and \
            os.path.isdir(os.path.join(dest, 'node_modules')):
        return dest
    log('peer: copying %s -> %s' % (source, dest))
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest, ignore=_ignore(os.path.abspath(source)), copy_function=shutil.copyfile)
    for root, dirs, _files in os.walk(dest):  # the source may be read-only; the peer writes here
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
    os.chmod(dest, 0o755)
    log('peer: npm ci (once per copy)')
    r = run(['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error'], cwd=dest, timeout=900, check=False)
    if r.code != 0:
        raise BenchError('npm ci failed in %s: %s' % (dest, r.describe()))
    with open(marker, 'w') as f:
        f.write(want)
    return dest


def export_csv(peer_dir, size, out_dir):
    """`node export.js` once per size; returns its summary (row counts)."""
    done = os.path.join(out_dir, 'export.json')
    if os.path.exists(done):
        with open(done) as f:
            return json.load(f)
    os.makedirs(out_dir, exist_ok=True)
    log('peer: exporting the %s dataset as CSV' % size)
    r = run(['node', 'export.js', '--size', size, '--dir', out_dir], cwd=peer_dir, timeout=1800)
    summary = r.last_json()
    if not summary:
        raise BenchError('export.js printed no summary')
    with open(done, 'w') as f:
        json.dump(summary, f)
    return summary


def run_peer(peer_dir, size, port, phase_timeout):
    """One full peer run; returns the figures this bench compares (and the raw result)."""
    log('peer: node bench.js --size %s --batch-size 1000 (this takes a while)' % size)
    r = run(['node', 'bench.js', '--size', size, '--batch-size', '1000', '--port', str(port),
             '--phase-timeout', str(phase_timeout)], cwd=peer_dir, timeout=phase_timeout * 8, check=False)
    result = r.last_json()
    if not result:
        raise BenchError('peer run printed no result: %s' % r.describe())
    phases = result.get('phases', {})
    pull = phases.get('pull_full', {})
    if pull.get('ok') is False or 'wall_s' not in pull:
        raise BenchError('peer full pull failed: %s' % str(pull)[:500])

    def push(name):
        p = phases.get(name, {})
        return (p.get('push') or {}).get('wall_s')
    figures = {
        'pouchdb_initial_s': pull.get('wall_s'),
        'pouchdb_wire_bytes_in': pull.get('bytes_in'),
        'pouchdb_wire_bytes_out': pull.get('bytes_out'),
        'pouchdb_client_disk_bytes': (pull.get('client_disk') or {}).get('bytes'),
        'pouchdb_client_peak_rss_mb': pull.get('client_max_rss_mib'),
        'pouchdb_incremental_1pct_s': phases.get('pull_incr', {}).get('wall_s'),
        'pouchdb_push_1000_orders_first_s': push('push_orders_first'),
        'pouchdb_push_1000_orders_steady_s': push('push_orders_steady'),
        'pouchdb_completed': result.get('completed'),
    }
    return figures, result
