"""Outpost's side of the bench: a fresh server database holding exactly the peer's rows (imported
from its CSVs with `outpost-server import`), the real `outpost-server serve`, and fresh replicas
driven by the real `outpost-sync` processes. Nothing here reaches into the engine: timings are
process wall times, peak memory is the process's VmHWM, wire bytes come from a counting loopback
proxy (on an untimed pass) and from the client's own report, and replica checks read the
finished replica file."""

import csv
import os
import re
import sqlite3

from benchlib import BenchError, CountingProxy, Server, file_bytes, log, median, run

TENANT = 'bench'
USER = 'manager1'
PASSWORD = 'bench-password-1'
ORDERS = 1000
LINES = 10


class Tools:
    def __init__(self, server, sync, init):
        self.server, self.sync, self.init = server, sync, init


def read_rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def price_groups(csv_dir):
    groups = []
    seen = set()
    with open(os.path.join(csv_dir, 'prices.csv'), newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            g = row['price_group']
            if g not in seen:
                seen.add(g)
                groups.append(g)
    return groups


def write_revert_csv(csv_dir, out_path):
    """The original prices of the rows changed_prices.csv touches: importing it after the change
    is again a 1% change, so the incremental pass can be repeated."""
    changed = {(r['price_group'], r['sku']) for r in read_rows(os.path.join(csv_dir, 'changed_prices.csv'))}
    with open(os.path.join(csv_dir, 'prices.csv'), newline='', encoding='utf-8') as f, \
            open(out_path, 'w', newline='', encoding='utf-8') as out:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator='\n')
        writer.writeheader()
        for row in reader:
            if (row['price_group'], row['sku']) in changed:
                writer.writerow(row)
    return out_path


def write_stock_csv(csv_dir, out_path):
    """Stock for every product in WH1, so that orders are validated against real stock rows (the
    peer's dataset has none). Imported after the initial and incremental passes."""
    with open(os.path.join(csv_dir, 'products.csv'), newline='', encoding='utf-8') as f, \
            open(out_path, 'w', newline='', encoding='utf-8') as out:
        out.write('warehouse,sku,on_hand,allocated\n')
        for row in csv.DictReader(f):
            out.write('WH1,%s,100000,0\n' % row['sku'])
    return out_path


class Fixture:
    """The server side: database, imports, the running server."""

    def __init__(self, tools, csv_dir, work):
        self.tools, self.csv_dir, self.work = tools, csv_dir, work
        self.db = os.path.join(work, 'server.sqlite')
        self.server = None
        self.import_s = {}

    def build(self):
        groups = price_groups(self.csv_dir)
        run([self.tools.init, 'create', '--db', self.db, '--tenant', TENANT, '--password', PASSWORD,
             '--price-lists', ','.join(groups)])
        for kind, name in (('products', 'products.csv'), ('accounts', 'accounts.csv'), ('prices', 'prices.csv')):
            r = self.import_csv(kind, os.path.join(self.csv_dir, name))
            self.import_s[kind] = round(r.wall_s, 3)
            log('outpost: imported %s in %.1f s: %s' % (kind, r.wall_s, r.stdout.strip().splitlines()[-1:]))
        run([self.tools.init, 'finish', '--db', self.db, '--tenant', TENANT])

    def import_csv(self, kind, path):
        return run([self.tools.server, 'import', '--db', self.db, '--tenant', TENANT, '--kind', kind, path],
                   timeout=3600)

    def start(self):
        self.server = Server(self.tools.server, self.db, os.path.join(self.work, 'server.log'))
        log('outpost: server on %s' % self.server.url)

    def log_mark(self):
        path = os.path.join(self.work, 'server.log')
        return os.path.getsize(path) if os.path.exists(path) else 0

    def server_time(self, mark):
        """Server-side milliseconds per route since mark, from the server's request log lines
        ("METHOD /path STATUS N ms ..."): where a client's wall time went."""
        routes = {}
        with open(os.path.join(self.work, 'server.log'), errors='replace') as f:
            f.seek(mark)
            for line in f:
                m = REQUEST_LINE.search(line)
                if m:
                    key = '%s %s' % (m.group(1), m.group(2))
                    r = routes.setdefault(key, {'requests': 0, 'ms': 0})
                    r['requests'] += 1
                    r['ms'] += int(m.group(3))
        return routes

    def stop(self):
        if self.server:
            self.server.stop()
            self.server = None


class Replica:
    """One device: a replica file driven by outpost-sync processes."""

    def __init__(self, tools, path, device):
        self.tools, self.path, self.device = tools, path, device
        for suffix in ('', '-wal', '-shm', '-journal'):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)

    def cli(self, *args, measure_rss=False, check=True, timeout=3600):
        return run([self.tools.sync, '--replica', self.path] + list(args), measure_rss=measure_rss,
                   check=check, timeout=timeout)

    def login(self, url):
        return self.cli('login', '--server', url, '--tenant', TENANT, '--user', USER, '--password', PASSWORD,
                        '--device', self.device, measure_rss=True)

    def sync(self):
        r = self.cli('sync', '--json', measure_rss=True, check=False)
        if r.code != 0:
            raise BenchError('outpost-sync sync failed: %s' % r.describe())
        r.report = r.last_json() or {}
        return r

    def initial(self, url):
        """login + sync on a fresh replica: (wall seconds of both, the sync Run)."""
        login = self.login(url)
        s = self.sync()
        s.login_s = login.wall_s
        s.rss_mib = max(v for v in (login.rss_mib, s.rss_mib, 0) if v is not None)
        return login.wall_s + s.wall_s, s

    def query(self, sql, args=()):
        con = sqlite3.connect('file:%s?mode=ro' % self.path, uri=True)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def table_bytes(self, names):
        """Bytes the named tables and indexes take in the file (dbstat), or None without dbstat."""
        try:
            marks = ','.join('?' * len(names))
            return self.query('SELECT SUM(pgsize) FROM dbstat WHERE name IN (%s)' % marks, tuple(names))[0][0]
        except sqlite3.Error:
            return None

    def count(self, table):
        return self.query('SELECT COUNT(*) FROM %s' % table)[0][0]

    def create_orders(self, first, count, accounts, skus):
        """count orders of LINES lines (distinct products, small quantities); creation is not timed."""
        for n in range(first, first + count):
            account = accounts[n % len(accounts)]
            lines = []
            for k in range(LINES):
                sku = skus[(n * LINES + k * 7919) % len(skus)]
                lines += ['--line', '%s:%d' % (sku, 1 + (n + k) % 5)]
            self.cli('order', 'create', '--account', account, *lines)
            if (n - first + 1) % 250 == 0:
                log('outpost: %d/%d orders created on %s' % (n - first + 1, count, os.path.basename(self.path)))

    def verify(self):
        """`outpost-sync status --json --verify`: the replica's checksums against the server's
        (None when the server cannot compare)."""
        r = self.cli('status', '--json', '--verify', check=False)
        v = (r.last_json() or {}).get('verify') or {}
        return v.get('match') if v.get('comparable') else None, v

    def outcomes(self):
        """Orders by status, from `outpost-sync orders --json`."""
        r = self.cli('orders', '--json')
        data = r.last_json()
        items = data.get('orders', []) if isinstance(data, dict) else (data or [])
        counts = {}
        for o in items:
            status = o.get('status', '?')
            counts[status] = counts.get(status, 0) + 1
        return counts


ANSWERED = ('accepted', 'adjusted', 'held', 'rejected')
REQUEST_LINE = re.compile(r'\b(GET|POST|PUT|PATCH|DELETE) (/[^ ?]*)\S* \d{3} (\d+) ms\b')


def check_replica(replica, expect):
    """Row counts of the finished replica against the peer's CSVs; raises on a mismatch."""
    got = {'products': replica.count('products'), 'accounts': replica.count('accounts'),
           'price_list_entries': replica.count('price_list_entries')}
    want = {'products': expect['products'], 'accounts': expect['accounts'], 'price_list_entries': expect['prices']}
    if got != want:
        raise BenchError('replica %s holds %s, expected %s' % (replica.path, got, want))
    return got


def run_outpost(tools, csv_dir, work, export, runs):
    """Every Outpost figure of one bench run. Returns (figures, details)."""
    fixture = Fixture(tools, csv_dir, work)
    fixture.build()
    prices = export['prices']
    accounts = [r['account_no'] for r in read_rows(os.path.join(csv_dir, 'accounts.csv'))]
    skus = [r['sku'] for r in read_rows(os.path.join(csv_dir, 'products.csv')) if r.get('active', '1') != '0']
    details = {'import_s': fixture.import_s}
    fixture.start()
    try:
        url = fixture.server.url
        # Cold: the first device after the import; the server builds the tenant's snapshots now.
        cold = Replica(tools, os.path.join(work, 'cold.sqlite'), 'bench-cold')
        cold_s, cold_sync = cold.initial(url)
        check_replica(cold, export)
        log('outpost: initial sync, cold server cache: %.2f s' % cold_s)
        # Warm: fresh devices once the server has built the snapshots (the headline).
        warm, warm_sync, warm_rss, warm_runs, replicas = [], [], [], [], []
        for i in range(runs):
            rep = Replica(tools, os.path.join(work, 'warm-%d.sqlite' % i), 'bench-warm-%d' % i)
            replicas.append(rep)
            mark = fixture.log_mark()
            secs, s = rep.initial(url)
            check_replica(rep, export)
            warm.append(secs)
            warm_sync.append(s.wall_s)
            warm_rss.append(s.rss_mib)
            warm_runs.append({'login_s': round(s.login_s, 3), 'sync_s': round(s.wall_s, 3),
                              'rss_mib': s.rss_mib, 'report': s.report, 'server_ms': fixture.server_time(mark)})
            log('outpost: initial sync, warm server cache, run %d: %.2f s (login %.2f s), peak RSS %.0f MiB'
                % (i + 1, secs, s.login_s, s.rss_mib or 0))
        main = replicas[0]
        verified, verify_detail = main.verify()
        details['initial_verify'] = verify_detail
        replica_size = file_bytes(main.path)
        price_bytes = main.table_bytes(['price_list_entries', 'price_list_entries_lookup'])
        details.update({'cold_sync_report': cold_sync.report, 'warm_runs': warm_runs})

        # Wire bytes: one more fresh device through the counting proxy (this pass is not timed).
        proxy = CountingProxy('127.0.0.1', fixture.server.port)
        try:
            wired = Replica(tools, os.path.join(work, 'wire.sqlite'), 'bench-wire')
            _, ws = wired.initial('http://127.0.0.1:%d' % proxy.port)
            wire_initial = proxy.snapshot()
        finally:
            proxy.close()
        details['wire_initial'] = wire_initial
        details['client_reported_bootstrap_bytes'] = ws.report.get('bootstrapBytes')

        # Incremental: the peer's 1% price change (and back again for further runs).
        revert = write_revert_csv(csv_dir, os.path.join(work, 'revert_prices.csv'))
        changed = os.path.join(csv_dir, 'changed_prices.csv')
        incr, incr_runs = [], []
        for i in range(runs):
            fixture.import_csv('prices', changed if i % 2 == 0 else revert)
            mark = fixture.log_mark()
            s = main.sync()
            incr.append(s.wall_s)
            incr_runs.append({'sync_s': round(s.wall_s, 3), 'report': s.report, 'server_ms': fixture.server_time(mark)})
            log('outpost: incremental 1%% prices, run %d: %.3f s (%s rows pulled)'
                % (i + 1, s.wall_s, s.report.get('pulledRows')))
        details['incremental_runs'] = incr_runs
        sample = read_rows(changed)[0]
        got = main.query('SELECT e.unit_price_minor FROM price_list_entries e JOIN products p ON p.id = e.product_id '
                         'JOIN price_lists l ON l.id = e.price_list_id WHERE p.sku = ? AND l.code = ? AND e.min_qty = 1',
                         (sample['sku'], sample['price_group']))
        original = {(r['price_group'], r['sku']): r['price'] for r in read_rows(revert)}
        want = sample['price'] if runs % 2 == 1 else original[(sample['price_group'], sample['sku'])]
        want_minor = int(round(float(want) * 100))
        details['incremental_check'] = {'sku': sample['sku'], 'group': sample['price_group'],
                                        'replica_minor': got[0][0] if got else None, 'expected_minor': want_minor}
        if not got or got[0][0] != want_minor:
            raise BenchError('incremental: %s/%s is %s in the replica, expected %d'
                             % (sample['price_group'], sample['sku'], got, want_minor))
        incr_verified, details['incremental_verify'] = main.verify()

        # Push: stock for validation, then a fresh device that pushes right after its bootstrap,
        # then the same device again (steady state).
        stock = write_stock_csv(csv_dir, os.path.join(work, 'stock.csv'))
        fixture.import_csv('stock', stock)
        pusher = Replica(tools, os.path.join(work, 'push.sqlite'), 'bench-push')
        boot_s, _ = pusher.initial(url)
        log('outpost: push device bootstrapped (with stock) in %.2f s; creating %d orders' % (boot_s, ORDERS))
        pushes = {}
        for label, first in (('after_bootstrap', 0), ('steady', ORDERS)):
            pusher.create_orders(first, ORDERS, accounts, skus)
            mark = fixture.log_mark()
            s = pusher.sync()
            counts = pusher.outcomes()
            answered = sum(counts.get(k, 0) for k in ANSWERED)
            pushes[label] = {'sync_s': round(s.wall_s, 3), 'answered': answered, 'statuses': counts,
                             'report': s.report, 'server_ms': fixture.server_time(mark)}
            log('outpost: push %d orders (%s): %.3f s, statuses %s' % (ORDERS, label, s.wall_s, counts))
            if answered != first + ORDERS:
                raise BenchError('push %s: %d of %d orders have a server outcome (%s)'
                                 % (label, answered, first + ORDERS, counts))
        details['push'] = pushes
    finally:
        fixture.stop()

    def server_s(routes, only=None):
        return round(sum(v['ms'] for k, v in routes.items() if only is None or k == only) / 1000.0, 3)
    worse = max(pushes.values(), key=lambda p: p['sync_s'])
    figures = {
        'outpost_initial_server_s': server_s(warm_runs[0]['server_ms']),
        'incremental_server_s': server_s(incr_runs[0]['server_ms']),
        'push_1000_orders_server_commands_s': server_s(worse['server_ms'], 'POST /v1/commands'),
        'outpost_initial_s': round(median(warm), 3),
        'outpost_initial_sync_only_s': round(median(warm_sync), 3),
        'outpost_initial_cold_s': round(cold_s, 3),
        'outpost_initial_runs_s': [round(x, 3) for x in warm],
        'wire_bytes_per_price': round(wire_initial['down'] / prices, 2),
        'wire_bytes_up_per_price': round(wire_initial['up'] / prices, 3),
        'replica_bytes_per_price': round(replica_size / prices, 2),
        'replica_bytes': replica_size,
        'replica_price_table_bytes_per_price': round(price_bytes / prices, 2) if price_bytes else None,
        'incremental_1pct_s': round(median(incr), 3),
        'incremental_1pct_runs_s': [round(x, 3) for x in incr],
        'push_1000_orders_s': max(pushes['after_bootstrap']['sync_s'], pushes['steady']['sync_s']),
        'push_1000_orders_after_bootstrap_s': pushes['after_bootstrap']['sync_s'],
        'push_1000_orders_steady_s': pushes['steady']['sync_s'],
        'client_peak_rss_mb': round(max(v for v in warm_rss if v is not None), 1),
        'client_reported_bootstrap_bytes_per_price':
            round(details['client_reported_bootstrap_bytes'] / prices, 2)
            if details.get('client_reported_bootstrap_bytes') else None,
        'replica_checksums_match': verified,
        'replica_checksums_match_after_incremental': incr_verified,
    }
    return figures, details
