"""A Socket Mode server for tests: a tiny WebSocket server (RFC 6455) on loopback that says
`hello`, sends envelopes, and records the acks that come back. Standard library only.

    with SocketModeServer() as server:
        emulator.socket_mode_url = server.url        # apps.connections.open answers it
        ... start the bot ...
        server.wait_connected()
        server.send_envelope("slash_commands", {"command": "/uppsikt", ...})
        ack = server.wait_ack(envelope_id)
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import uuid
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class SocketModeServer:
    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Condition()
        self._clients: list[socket.socket] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections = 0
        self.closed_by_client = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    def __enter__(self) -> SocketModeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping = True
        self._listener.close()
        with self._lock:
            for client in self._clients:
                try:
                    client.close()
                except OSError:
                    pass

    # ------------------------------------------------------------------ waiting

    def _wait(self, predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
        with self._lock:
            if not self._lock.wait_for(predicate, timeout=timeout):
                raise AssertionError(f"timed out waiting for {what}")
            return predicate()

    def wait_connected(self, count: int = 1, timeout: float = 30) -> None:
        self._wait(lambda: self.connections >= count, timeout, "a Socket Mode connection")

    def wait_ack(self, envelope_id: str, timeout: float = 30) -> dict[str, Any]:
        return self._wait(lambda: self.acks.get(envelope_id), timeout, f"ack of {envelope_id}")

    def wait_disconnected(self, timeout: float = 30) -> None:
        self._wait(lambda: self.closed_by_client >= 1, timeout, "the client to close")

    # ------------------------------------------------------------------ sending

    def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Send an envelope (slash_commands, interactive, events_api) to the newest client."""
        envelope_id = uuid.uuid4().hex
        message = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        with self._lock:
            client = self._clients[-1]
        client.sendall(_frame(json.dumps(message).encode(), opcode=1))
        return envelope_id

    # ------------------------------------------------------------------ the server

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            headers = dict(
                line.split(": ", 1)
                for line in request.decode("latin-1").split("\r\n")[1:]
                if ": " in line
            )
            key = {k.lower(): v for k, v in headers.items()}.get("sec-websocket-key", "")
            accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
            client.sendall(
                (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
                ).encode()
            )
            client.sendall(_frame(json.dumps({"type": "hello", "num_connections": 1}).encode(), 1))
            with self._lock:
                self._clients.append(client)
                self.connections += 1
                self._lock.notify_all()
            self._read(client)
        except OSError:
            return

    def _read(self, client: socket.socket) -> None:
        buffer = b""
        while True:
            frame = _read_frame(client, buffer)
            if frame is None:
                with self._lock:
                    self.closed_by_client += 1
                    self._lock.notify_all()
                return
            opcode, data, buffer = frame
            if opcode == 8:  # close
                try:
                    client.sendall(_frame(b"", 8))
                except OSError:
                    pass
                with self._lock:
                    self.closed_by_client += 1
                    self._lock.notify_all()
                return
            if opcode == 9:  # ping
                client.sendall(_frame(data, 10))
                continue
            if opcode == 1:
                try:
                    message = json.loads(data)
                except ValueError:
                    continue
                if isinstance(message, dict) and "envelope_id" in message:
                    with self._lock:
                        self.acks[message["envelope_id"]] = message
                        self._lock.notify_all()


def _frame(data: bytes, opcode: int) -> bytes:
    head = bytes([0x80 | opcode])
    if len(data) < 126:
        head += bytes([len(data)])
    elif len(data) < 65536:
        head += bytes([126]) + struct.pack(">H", len(data))
    else:
        head += bytes([127]) + struct.pack(">Q", len(data))
    return head + data


def _read_exactly(client: socket.socket, buffer: bytes, size: int) -> tuple[bytes, bytes] | None:
    while len(buffer) < size:
        chunk = client.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    return buffer[:size], buffer[size:]


def _read_frame(client: socket.socket, buffer: bytes) -> tuple[int, bytes, bytes] | None:
    try:
        got = _read_exactly(client, buffer, 2)
        if got is None:
            return None
        head, buffer = got
        opcode, length, masked = head[0] & 0x0F, head[1] & 0x7F, head[1] & 0x80
        if length in (126, 127):
            size = 2 if length == 126 else 8
            got = _read_exactly(client, buffer, size)
            if got is None:
                return None
            raw, buffer = got
            length = int.from_bytes(raw, "big")
        mask = b""
        if masked:
            got = _read_exactly(client, buffer, 4)
            if got is None:
                return None
            mask, buffer = got
        got = _read_exactly(client, buffer, length)
        if got is None:
            return None
        data, buffer = got
        if mask:
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        return opcode, data, buffer
    except OSError:
        return None
