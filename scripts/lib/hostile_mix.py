#!/usr/bin/python3
"""For bench.sh: a mix of hostile peers against one server, for a bounded time.

  hostile_mix.py PORT DASHBOARD_PORT SECONDS

Loopback only. Chunk-extension floods, requests dripped a byte at a time,
pipelining clients that never read, and idle connections to the dashboard
from ten loopback addresses; each reconnects when the server closes it, and
everything stops after SECONDS.
"""
import socket
import sys
import threading
import time

port, dashboard_port, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + seconds


def connect(to_port, source="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    s.bind((source, 0))
    s.connect(("127.0.0.1", to_port))
    return s


def keep_doing(behaviour):
    """Runs behaviour(socket) on new connections until the deadline."""
    def run():
        while time.monotonic() < deadline:
            try:
                with connect(port) as s:
                    behaviour(s)
            except OSError:
                time.sleep(0.05)
    return run


def flood(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;")
    block = b"a" * 16384
    while time.monotonic() < deadline:
        s.sendall(block)


def drip(s):
    for byte in b"GET / HTTP/1.1\r\nHost: h\r\nX-Slow: " + b"a" * 10000:
        if time.monotonic() >= deadline:
            return
        s.sendall(bytes([byte]))
        time.sleep(0.2)


def never_read(s):
    block = b"GET /?delay=0 HTTP/1.1\r\nHost: h\r\n\r\n" * 500
    while time.monotonic() < deadline:
        s.sendall(block)


def idle_dashboard_visitors():
    """200 connections that never ask, opened again every 4 s."""
    while time.monotonic() < deadline:
        held = []
        for k in range(200):
            try:
                held.append(connect(dashboard_port, "127.0.0.%d" % (2 + k % 10)))
            except OSError:
                pass
        time.sleep(min(4.0, max(0.0, deadline - time.monotonic())))
        for s in held:
            s.close()


threads = [threading.Thread(target=keep_doing(flood)) for _ in range(4)]
threads += [threading.Thread(target=keep_doing(drip)) for _ in range(20)]
threads += [threading.Thread(target=keep_doing(never_read)) for _ in range(4)]
threads.append(threading.Thread(target=idle_dashboard_visitors))
for t in threads:
    t.daemon = True
    t.start()
for t in threads:
    t.join(max(0.0, deadline - time.monotonic()) + 5)
