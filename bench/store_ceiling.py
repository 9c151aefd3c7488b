#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SQLite's own ingest ceiling for Natter's message schema, to set natter-store-bench's ingest_rate against.

Creates a store with every step of core/storage/Migrations.cpp and the PRAGMAs of Database.cpp, then inserts
synthetic messages (1000 conversations, the first getting every tenth, random stanza-ids and origin-ids,
bodies from the benchmark's word list) in transactions of 1000 rows with executemany: no duplicate look-ups,
no conversation bookkeeping, so nothing Natter does beyond storing the rows and indexing them.

    natter_exec python3 bench/store_ceiling.py --messages 1000000
"""
import argparse
import os
import random
import re
import sqlite3
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PRAGMAS = ['journal_mode=WAL', 'synchronous=NORMAL', 'foreign_keys=ON', 'secure_delete=ON', 'busy_timeout=5000',
           'cache_size=-65536', 'wal_autocheckpoint=10000', 'journal_size_limit=67108864']


def schema_steps():
    source = open(os.path.join(HERE, '..', 'core', 'storage', 'Migrations.cpp'), encoding='utf-8').read()
    return [part.split(')sql"')[0] for part in source.split('R"sql(')[1:]]


def word_list():
    source = open(os.path.join(HERE, 'StoreGenerator.cpp'), encoding='utf-8').read()
    return re.findall(r'u"([^"]+)"', source.split('constexpr std::array Emoji')[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--messages', type=int, default=1000000)
    parser.add_argument('--conversations', type=int, default=1000)
    parser.add_argument('--fts', choices=['bulk', 'none'], default='bulk',
                        help='bulk: one INSERT ... SELECT into the full-text index per transaction, as ingest '
                             'does (default); none: no full-text index at all')
    options = parser.parse_args()

    words = word_list()
    weights = [1 / (rank + 1) for rank in range(len(words))]
    rnd = random.Random(1)
    bodies = []
    for _ in range(20000):  # reused: making bodies in Python would otherwise dominate the run
        length = rnd.choice([5 + rnd.randrange(36)] * 55 + [40 + rnd.randrange(111)] * 35 +
                            [150 + rnd.randrange(251)] * 10)
        text = []
        while sum(len(w) + 1 for w in text) < length:
            text.append(rnd.choices(words, weights)[0])
        bodies.append(' '.join(text))

    with tempfile.TemporaryDirectory() as directory:
        db = sqlite3.connect(os.path.join(directory, 'natter.sqlite'), isolation_level=None)
        for pragma in PRAGMAS:
            db.execute('PRAGMA ' + pragma)
        for step in schema_steps():
            db.executescript(step)
        db.execute("INSERT INTO accounts (jid, resource, password_storage, created_at) "
                   "VALUES ('bench@example.org', 'r', 0, 0)")
        db.execute("INSERT INTO jids (jid) VALUES ('bench@example.org')")
        for number in range(options.conversations):
            db.execute('INSERT INTO jids (jid) VALUES (?)', (f'contact{number:04}@example.net',))
            db.execute('INSERT INTO conversations (account_id, peer_id) VALUES (1, ?)', (number + 2,))

        storing = 0.0
        for first in range(0, options.messages, 1000):
            rows = []
            for index in range(first, min(first + 1000, options.messages)):
                conversation = 1 if index % 10 == 0 or options.conversations == 1 else \
                    2 + rnd.randrange(options.conversations - 1)
                uuid = '%032x' % rnd.getrandbits(128)
                uuid = '-'.join([uuid[:8], uuid[8:12], uuid[12:16], uuid[16:20], uuid[20:]])
                stamp = 1577836800000 + index * 60000
                rows.append((index + 1, conversation, index % 2, 'contact@example.net/phone', stamp, stamp, stamp,
                             stamp, bodies[rnd.randrange(len(bodies))], '%016x' % rnd.getrandbits(64), uuid, uuid))
            started = time.perf_counter()
            db.execute('BEGIN')
            db.executemany('INSERT INTO messages (id, account_id, conversation_id, direction, sender, time, sent_at, '
                           'received_at, server_at, body, stanza_id, archive_id, origin_id, message_id, delivery) '
                           'VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 2)', rows)
            if options.fts == 'bulk':
                db.execute('INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages WHERE id >= ?',
                           (first + 1,))
            db.execute('COMMIT')
            storing += time.perf_counter() - started
        db.close()
    print(f'sqlite_ceiling {options.messages / storing:.0f} messages/s '
          f'({options.messages} messages, {options.conversations} conversations, fts {options.fts}, '
          f'executemany in transactions of 1000, time in SQLite calls only)')


if __name__ == '__main__':
    main()
