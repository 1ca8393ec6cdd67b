#!/usr/bin/python3
"""A hostile HTTP/2 server (h2c) for client_async's tests, from Debian's python3-h2.

    hostile_http2_server.py MODE

prints the port it listens on (127.0.0.1, chosen by the kernel), then serves
every connection the way MODE says, for at most 60 seconds:

  ok                  answers each request: 200, body "ok"
  continuation-flood  a HEADERS frame, then CONTINUATION frames that never end it
  big-headers         a header list of about 100 KB, in CONTINUATION frames
  big-body            200 with a 2 MB body
  closed-window       SETTINGS_INITIAL_WINDOW_SIZE 0, never a WINDOW_UPDATE, no answer
  ping-flood          PING frames as fast as it can send them, never reading
  settings-flood      SETTINGS frames the same way
  goaway              answers a connection's first stream, then GOAWAY naming it last
"""
import socket
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.settings
from hpack import Encoder
from hyperframe.frame import ContinuationFrame, HeadersFrame, PingFrame, SettingsFrame

LIFETIME = 60.0
FLOOD_SECONDS = 10.0


def header_frames(stream_id, headers, end_headers=True):
    block = Encoder().encode(headers)
    chunks = [block[i:i + 16384] for i in range(0, len(block), 16384)]
    frames = [HeadersFrame(stream_id, data=chunks[0])]
    frames += [ContinuationFrame(stream_id, data=chunk) for chunk in chunks[1:]]
    if end_headers:
        frames[-1].flags.add("END_HEADERS")
    return b"".join(frame.serialize() for frame in frames)


def flood(sock, frame_bytes):
    stop = time.monotonic() + FLOOD_SECONDS
    while time.monotonic() < stop:
        sock.sendall(frame_bytes * 64)


def send_body(conn, sock, stream_id, size):
    """Sends `size` bytes as the client's windows allow, reading its WINDOW_UPDATEs."""
    left = size
    while left > 0:
        room = min(conn.local_flow_control_window(stream_id), conn.max_outbound_frame_size, left)
        if room == 0:
            data = sock.recv(65536)
            if not data:
                return
            conn.receive_data(data)
        else:
            conn.send_data(stream_id, b"x" * room, end_stream=(room == left))
            left -= room
        sock.sendall(conn.data_to_send())


def answer(mode, conn, sock, stream_id, state):
    if mode == "continuation-flood":
        sock.sendall(header_frames(stream_id, [(":status", "200")], end_headers=False))
        flood(sock, ContinuationFrame(stream_id, data=Encoder().encode([("x-flood", "a" * 1000)])).serialize())
    elif mode == "big-headers":
        headers = [(":status", "200")] + [("x-big-%d" % i, "b" * 4000) for i in range(25)]
        sock.sendall(header_frames(stream_id, headers))
    elif mode == "big-body":
        conn.send_headers(stream_id, [(":status", "200")])
        send_body(conn, sock, stream_id, 2 * 1024 * 1024)
    elif mode == "goaway" and state["answered"]:
        return  # refused by the GOAWAY below
    elif mode in ("ok", "goaway"):
        conn.send_headers(stream_id, [(":status", "200"), ("content-length", "2")])
        conn.send_data(stream_id, b"ok", end_stream=True)
        if mode == "goaway":
            state["answered"] = True
            conn.close_connection(last_stream_id=stream_id)
    sock.sendall(conn.data_to_send())


def serve(sock, mode):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
    conn.initiate_connection()
    if mode == "closed-window":
        conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
    sock.sendall(conn.data_to_send())
    if mode == "ping-flood":
        return flood(sock, PingFrame(0, opaque_data=b"12345678").serialize())
    if mode == "settings-flood":
        return flood(sock, SettingsFrame(0).serialize())
    state = {"answered": False}
    while True:
        data = sock.recv(65536)
        if not data:
            return
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                answer(mode, conn, sock, event.stream_id, state)
        sock.sendall(conn.data_to_send())


def serve_and_close(sock, mode):
    try:
        sock.settimeout(LIFETIME)
        serve(sock, mode)
    except (OSError, h2.exceptions.ProtocolError):
        pass  # the client gave up on us: what the tests want
    finally:
        sock.close()


def main():
    mode = sys.argv[1]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.5)
    print(listener.getsockname()[1], flush=True)
    stop = time.monotonic() + LIFETIME
    while time.monotonic() < stop:
        try:
            sock, _ = listener.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve_and_close, args=(sock, mode), daemon=True).start()


if __name__ == "__main__":
    main()
