#!/usr/bin/python3
"""A Modbus server for PlantDesk's interop tests, written on pymodbus (3.0.0rc1, Debian's package).

The test builds the register image (with the app's own encoder, so the expected values come from one
place) and hands it over as a JSON file:

    {"holding": [...], "input": [...], "coils": [0, 1, ...], "discrete": [...]}

Each area is either a list (addresses from 0) or an object of segments {"<start>": [...], ...}, which
leaves the addresses between the segments unmapped (reads there get Illegal Data Address).
`--units 1,2` serves several unit ids (each with the same image), and {"units": {"1": {...}, "2": {...}}}
serves one image per unit id; otherwise every unit id answers with the one image.

`--framer rtu` with --tcp sends raw RTU frames over TCP (a serial gateway in transparent mode), and
`--delay-ms N` answers every request N ms late (a slow device).

Prints READY once it listens (TCP) or has opened the serial port (RTU). Exits when its stdin closes,
on SIGTERM/SIGINT, or after --max-seconds, so a test that dies cannot leave it behind.
"""
import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer


def block(area):
    """A sparse block from a list (from address 0) or {"start": [values]} segments."""
    if area is None:
        area = []
    if isinstance(area, list):
        segments = {0: area} if area else {}
    else:
        segments = {int(start): values for start, values in area.items()}
    values = {}
    for start, items in segments.items():
        for index, value in enumerate(items):
            values[start + index] = int(value)
    return ModbusSparseDataBlock(values)


def slave(image):
    return ModbusSlaveContext(
        di=block(image.get("discrete")),
        co=block(image.get("coils")),
        hr=block(image.get("holding")),
        ir=block(image.get("input")),
        zero_mode=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--tcp", type=int, metavar="PORT", help="listen on 127.0.0.1:PORT (Modbus TCP)")
    where.add_argument("--rtu", metavar="TTY", help="serve Modbus RTU on this serial port")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument(
        "--framer",
        choices=["socket", "rtu"],
        default="socket",
        help="with --tcp: MBAP frames (Modbus TCP), or raw RTU frames over TCP (a transparent serial gateway)",
    )
    parser.add_argument("--image", required=True, help="JSON register image")
    parser.add_argument("--units", default="", help="comma-separated unit ids (default: every unit id answers)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="answer this late (a slow device)")
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    # pymodbus logs every closed connection as an error; the test only wants READY and real failures.
    logging.basicConfig(level=logging.CRITICAL)
    logging.disable(logging.CRITICAL)
    with open(args.image, encoding="utf-8") as handle:
        image = json.load(handle)
    units = [int(unit) for unit in args.units.split(",") if unit.strip()]
    if "units" in image:
        # One image per unit id: {"units": {"1": {...}, "2": {...}}}; other unit ids get no answer.
        slaves = {int(unit): slave(unit_image) for unit, unit_image in image["units"].items()}
        context = ModbusServerContext(slaves=slaves, single=False)
    elif units:
        context = ModbusServerContext(slaves={unit: slave(image) for unit in units}, single=False)
    else:
        context = ModbusServerContext(slaves=slave(image), single=True)

    def slow(response):
        # Runs on the event loop: a slow device holds up everything behind it, as a real one does.
        time.sleep(args.delay_ms / 1000.0)
        return response, False

    extra = {"response_manipulator": slow} if args.delay_ms > 0 else {}

    async def run():
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        loop.call_later(args.max_seconds, stop.set)

        def stdin_readable():
            try:
                data = os.read(sys.stdin.fileno(), 4096)
            except OSError:
                data = b""
            if not data:
                stop.set()

        loop.add_reader(sys.stdin.fileno(), stdin_readable)

        if args.tcp is not None:
            server = await StartAsyncTcpServer(
                context=context,
                address=("127.0.0.1", args.tcp),
                framer=ModbusRtuFramer if args.framer == "rtu" else ModbusSocketFramer,
                allow_reuse_address=True,  # a restarted peer takes the same port despite TIME_WAIT
                defer_start=True,
                **extra,
            )
            serving = asyncio.create_task(server.serve_forever())
            done, _ = await asyncio.wait({serving, server.serving}, return_when=asyncio.FIRST_COMPLETED)
            if serving in done:
                serving.result()  # raises the bind error
                raise RuntimeError("server stopped before it listened")
        else:
            server = await StartAsyncSerialServer(
                context=context,
                framer=ModbusRtuFramer,
                port=args.rtu,
                baudrate=args.baud,
                bytesize=8,
                parity="N",
                stopbits=1,
                ignore_missing_slaves=True,  # an absent unit stays silent, as on a real bus
                defer_start=True,
                **extra,
            )
            await server.start()
            if server.transport is None:
                raise RuntimeError(f"cannot open serial port {args.rtu}")
            serving = None
        print("READY", flush=True)
        await stop.wait()
        if serving is not None:
            serving.cancel()
        await server.shutdown()

    try:
        asyncio.run(run())
    except Exception as error:  # pylint: disable=broad-except
        print(f"ERROR {error}", file=sys.stderr, flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
