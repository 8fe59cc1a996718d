#!/usr/bin/env python3
"""A transparent TCP relay that delays every chunk: wide-area latency where `tc netem` is missing.

    python3 Network/wan-relay.py --port 15001 --delay-ms 50 --jitter-ms 10 --mark 0x77 --seed 7

Run inside a network namespace, behind iptables REDIRECT rules (Network/test-hosts.sh writes them):
  - outgoing connections to the other site: `-t nat -A OUTPUT -p tcp -d SITE -j REDIRECT --to-ports PORT`
  - incoming connections from the other site: `-t nat -A PREROUTING -p tcp -s SITE -j REDIRECT --to-ports PORT`
with `-m mark --mark MARK -j RETURN` first in OUTPUT, so the relay's own connections (which carry
SO_MARK MARK) are not redirected again. For each accepted connection it reads the original
destination (getsockopt SOL_IP SO_ORIGINAL_DST), connects to it, and forwards both directions; each
chunk read is written after DELAY ± JITTER milliseconds (uniform), never before an earlier chunk of
the same direction, so order is kept and every byte is delayed at least DELAY - JITTER. TLS passes
through untouched (the relay never sees a key). It prints one line per minute and its totals on
SIGTERM, and exits 0.
"""
import argparse
import asyncio
import random
import signal
import socket
import struct
import sys
import time

SO_ORIGINAL_DST = 80
SO_MARK = 36


def original_destination(sock):
    raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port, packed = struct.unpack("!2xH4s8x", raw)
    return socket.inet_ntoa(packed), port


class Relay:
    def __init__(self, args):
        self.args = args
        self.random = random.Random(args.seed)
        self.connections = 0
        self.active = 0
        self.bytes = 0
        self.chunks = 0
        self.failed = 0
        self.tasks = set()

    def delay(self):
        return max(0.0, (self.args.delay_ms + self.random.uniform(-self.args.jitter_ms, self.args.jitter_ms)) / 1000)

    async def pump(self, reader, writer):
        """Reads chunks and writes each after its delay, in order; closes the write side at EOF."""
        queue = asyncio.Queue()

        async def deliver():
            last_due = 0.0
            while True:
                due, data = await queue.get()
                due = max(due, last_due)
                last_due = due
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if data is None:
                    break
                writer.write(data)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                self.bytes += len(data)
                self.chunks += 1
                queue.put_nowait((time.monotonic() + self.delay(), data))
        except (ConnectionError, OSError):
            pass
        queue.put_nowait((time.monotonic() + self.delay(), None))
        try:
            await sender
        except (ConnectionError, OSError):
            pass

    async def handle(self, client_reader, client_writer):
        sock = client_writer.get_extra_info("socket")
        self.connections += 1
        self.active += 1
        try:
            host, port = original_destination(sock)
            if (host, port) == sock.getsockname()[:2] or port == self.args.port:
                # Not redirected (someone dialled the relay itself): relaying it would dial the relay
                # again, forever. Only redirected connections are relayed.
                self.failed += 1
                return
            upstream = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            upstream.setsockopt(socket.SOL_SOCKET, SO_MARK, self.args.mark)
            upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            upstream.setblocking(False)
            # The connection itself also takes a round trip of wide-area time.
            await asyncio.sleep(self.delay())
            await asyncio.wait_for(asyncio.get_running_loop().sock_connect(upstream, (host, port)), 10)
            server_reader, server_writer = await asyncio.open_connection(sock=upstream)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await asyncio.gather(self.pump(client_reader, server_writer), self.pump(server_reader, client_writer))
            server_writer.close()
        except (ConnectionError, OSError, asyncio.TimeoutError):
            self.failed += 1
        finally:
            self.active -= 1
            client_writer.close()

    def summary(self):
        return (f"wan-relay port {self.args.port}: {self.connections} connections ({self.active} open, {self.failed} failed), "
                f"{self.chunks} chunks, {self.bytes / 1e6:.1f} MB delayed {self.args.delay_ms}±{self.args.jitter_ms} ms")

    async def run(self):
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)

        def accept(reader, writer):
            task = asyncio.ensure_future(self.handle(reader, writer))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

        server = await asyncio.start_server(accept, "0.0.0.0", self.args.port, backlog=512)

        async def report():
            while True:
                await asyncio.sleep(60)
                print(self.summary(), flush=True)

        reporter = asyncio.ensure_future(report())
        print(f"wan-relay listening on 0.0.0.0:{self.args.port}, delay {self.args.delay_ms}±{self.args.jitter_ms} ms, "
              f"mark {self.args.mark:#x}, seed {self.args.seed}", flush=True)
        await stop.wait()
        reporter.cancel()
        server.close()
        for task in list(self.tasks):
            task.cancel()
        print(self.summary(), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, default=50)
    parser.add_argument("--jitter-ms", type=float, default=10)
    parser.add_argument("--mark", type=lambda text: int(text, 0), default=0x77)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.jitter_ms > args.delay_ms:
        sys.exit("wan-relay: --jitter-ms must not exceed --delay-ms")
    asyncio.run(Relay(args).run())


if __name__ == "__main__":
    main()
