#!/usr/bin/env python3
"""Durability run of the register: a burst of writes, the server killed with SIGKILL midway, restarted, and every
write that got a success answer looked up again. Usage: scripts/durability.py DB [DB ...]
where DB is a SQLite file path or a postgres:// URL. Exits 1 if any acknowledged write is missing."""
import json, os, signal, socket, subprocess, sys, threading, time, urllib.request, urllib.error

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "verblijf")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def call(base, method, path, token=None, body=None, timeout=5):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, json.loads(r.read() or b"null")


def start(db, port):
    p = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{port}", "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            call(base, "GET", "/healthz"); return p, base
        except Exception:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def run(db):
    port = free_port()
    server, base = start(db, port)
    _, org = call(base, "POST", "/api/v1/register/organisations", body={"name": "Durability", "email": f"d{port}@example.org", "password": "correct horse battery"})
    token = org["token"]
    acknowledged, failures = [], [0]
    def writer():
        for i in range(100000):
            try:
                status, p = call(base, "POST", "/api/v1/register/people", token, {"name": f"Person {i}", "birth_date": "1990-01-01"}, timeout=2)
                if status == 201:
                    acknowledged.append(p["id"])
            except Exception:
                failures[0] += 1
                if failures[0] > 20:
                    return
    t = threading.Thread(target=writer); t.start()
    time.sleep(1.0)
    server.send_signal(signal.SIGKILL); server.wait()
    t.join()
    server, base = start(db, port)
    missing = 0
    for pid in acknowledged:
        try:
            call(base, "GET", f"/api/v1/register/people/{pid}", token)
        except urllib.error.HTTPError as e:
            missing += 1
    server.send_signal(signal.SIGTERM); server.wait()
    print(f"db={db.split('@')[-1]} acknowledged={len(acknowledged)} missing_after_sigkill={missing}")
    return missing


if __name__ == "__main__":
    missing = sum(run(db) for db in sys.argv[1:])
    sys.exit(1 if missing else 0)
