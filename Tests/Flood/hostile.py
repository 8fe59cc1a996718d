#!/usr/bin/env python3
"""Hostile traffic against one Weft peer, for Tests/Flood/run.sh (issue "Hostile members and bad input").

For SECONDS seconds it holds IDLE plain TCP connections that never start TLS, opens STREAMS
commitEvents streams that never grant credit (spread over the member identities given), and loops
full-scan rich queries that it cancels at once. Prints one JSON line with what the peer answered.
"""
import json, socket, ssl, struct, sys, threading, time

host, port = sys.argv[1], int(sys.argv[2])
seconds, idle_count, stream_count = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
tls_ca = sys.argv[6]
identities = [tuple(pair.split(",")) for pair in sys.argv[7:]]  # "cert.pem,key.pem"

REQUEST, STREAM_REQUEST, CANCEL = 1, 8, 6
COMMIT_EVENTS, LEDGER_QUERY = 10, 3


def frame(kind_type, request, kind, body=b""):
    return struct.pack(">IHQB", 11 + len(body), kind_type, request, kind) + body


def text(value):
    data = value.encode()
    return struct.pack(">I", len(data)) + data


def tls_connection(identity):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_verify_locations(tls_ca)
    context.load_cert_chain(*identity)
    raw = socket.create_connection((host, port), timeout=10)
    return context.wrap_socket(raw, server_hostname=host)


stats = {"idleOpened": 0, "idleClosedByPeer": 0, "streamsRequested": 0, "streamsRefused": 0,
         "richQueriesCancelled": 0, "errors": []}
stop = time.monotonic() + seconds

# Idle connections: TCP only, never a ClientHello.
idle = []
for _ in range(idle_count):
    try:
        idle.append(socket.create_connection((host, port), timeout=10))
        stats["idleOpened"] += 1
    except OSError as error:
        stats["errors"].append("idle: %s" % error)
        break

# Streams that never grant credit.
stream_connections = []
for index in range(stream_count):
    identity = identities[index % len(identities)]
    if index < len(identities):
        stream_connections.append(tls_connection(identity))
    connection = stream_connections[index % len(identities)]
    connection.sendall(frame(COMMIT_EVENTS, index + 1, STREAM_REQUEST, struct.pack(">Q", 0)))
    stats["streamsRequested"] += 1


def drain_refusals(connection):
    connection.settimeout(0.5)
    buffer = b""
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return
            buffer += chunk
            while len(buffer) >= 4:
                length = struct.unpack(">I", buffer[:4])[0]
                if len(buffer) < 4 + length:
                    break
                kind = buffer[14]
                if kind == 5:
                    stats["streamsRefused"] += 1
                buffer = buffer[4 + length:]
    except (socket.timeout, ssl.SSLError, OSError):
        return


for connection in stream_connections:
    drain_refusals(connection)

# Cancelled full scans, until the time is up.
query_connection = tls_connection(identities[0])
request = 1
selector = json.dumps({"selector": {"AppraisedValue": {"$gt": -1}}, "sort": [{"AppraisedValue": "desc"}]})
while time.monotonic() < stop:
    body = bytes([7]) + text("asset-transfer") + text(selector)
    query_connection.sendall(frame(LEDGER_QUERY, request, REQUEST, body) + frame(LEDGER_QUERY, request, CANCEL))
    stats["richQueriesCancelled"] += 1
    request += 1
    time.sleep(0.02)

for sock in idle:
    try:
        sock.setblocking(False)
        if sock.recv(1) == b"":
            stats["idleClosedByPeer"] += 1
    except BlockingIOError:
        pass
    except OSError:
        stats["idleClosedByPeer"] += 1
print(json.dumps(stats))
