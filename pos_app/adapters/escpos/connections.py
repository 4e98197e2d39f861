"""How the till reaches a thermal printer: raw TCP (port 9100), USB by vendor/product id, a
serial port, or a device file. Each connection honours one timeout for everything (connect,
every write, every status read), so a printer that is off, stalled or unplugged fails the job
in bounded time instead of hanging a worker thread.

A connection is written as a target string (the till's settings keep it):

    tcp://192.168.1.50[:9100]     usb://04b8:0202     serial:///dev/ttyUSB0[?baud=19200]
    /dev/usb/lp0 (or file:///dev/usb/lp0)
"""

from __future__ import annotations

import os
import select
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from pos_app.domain.paper import PrintError

RAW_PORT = 9100


class Link(Protocol):
    """An open connection to a printer."""

    def write(self, data: bytes) -> None: ...

    def read(self, count: int) -> bytes:
        """Up to `count` bytes the printer sent back; b"" when it said nothing in time (or
        cannot answer over this connection)."""
        ...

    def close(self) -> None: ...


class Connector(Protocol):
    @property
    def name(self) -> str:
        """For people: "192.168.1.50:9100", "USB 04b8:0202"."""
        ...

    @property
    def answers_status(self) -> bool:
        """Whether the printer always answers DLE EOT over this connection."""
        ...

    def open(self, timeout: float) -> Link: ...


# ---------------------------------------------------------------------------------------------
# TCP


class _SocketLink:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read(self, count: int) -> bytes:
        try:
            return self.sock.recv(count)
        except TimeoutError:
            return b""

    def close(self) -> None:
        self.sock.close()


@dataclass(frozen=True)
class TcpConnector:
    host: str
    port: int = RAW_PORT
    answers_status = True

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"

    def open(self, timeout: float) -> Link:
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.settimeout(timeout)
        return _SocketLink(sock)


# ---------------------------------------------------------------------------------------------
# Device files (a USB printer class device, a parallel port), with non-blocking writes


class _FileLink:
    def __init__(self, fd: int, timeout: float, readable: bool) -> None:
        self.fd = fd
        self.timeout = timeout
        self.readable = readable

    def write(self, data: bytes) -> None:
        deadline = time.monotonic() + self.timeout
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.fd], [], left)[1]:
                raise TimeoutError("the printer stopped taking data")
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                continue

    def read(self, count: int) -> bytes:
        if not self.readable or not select.select([self.fd], [], [], self.timeout)[0]:
            return b""
        try:
            return os.read(self.fd, count)
        except OSError:
            return b""

    def close(self) -> None:
        os.close(self.fd)


def _open_device(path: Path, timeout: float) -> Link:
    try:
        return _FileLink(os.open(path, os.O_RDWR | os.O_NONBLOCK), timeout, readable=True)
    except PermissionError:
        raise
    except OSError:
        # Some printer devices (and plain files) are write-only.
        return _FileLink(os.open(path, os.O_WRONLY | os.O_NONBLOCK), timeout, readable=False)


@dataclass(frozen=True)
class DeviceConnector:
    path: Path
    answers_status = False

    @property
    def name(self) -> str:
        return str(self.path)

    def open(self, timeout: float) -> Link:
        return _open_device(self.path, timeout)


@dataclass(frozen=True)
class UsbConnector:
    """A USB printer by vendor and product id, through the kernel's printer class driver
    (usblp): the id is looked up under /sys to find its /dev/usb/lpN, so the printer can be
    plugged into any port and still be found."""

    vendor: int
    product: int
    sysfs: Path = Path("/sys/class/usbmisc")
    devices: Path = Path("/dev/usb")
    answers_status = False

    @property
    def name(self) -> str:
        return f"USB {self.vendor:04x}:{self.product:04x}"

    def device(self) -> Path:
        for entry in sorted(self.sysfs.glob("lp*")):
            # lpN/device is the printer's USB interface; its parent holds the ids.
            ids = entry.joinpath("device").resolve().parent
            try:
                vendor = int((ids / "idVendor").read_text().strip(), 16)
                product = int((ids / "idProduct").read_text().strip(), 16)
            except (OSError, ValueError):
                continue
            if (vendor, product) == (self.vendor, self.product):
                return self.devices / entry.name
        raise FileNotFoundError(
            f"no USB printer {self.vendor:04x}:{self.product:04x} is plugged in"
        )

    def open(self, timeout: float) -> Link:
        return _open_device(self.device(), timeout)


# ---------------------------------------------------------------------------------------------
# Serial


class _SerialLink:
    def __init__(self, port: Any) -> None:  # a serial.Serial (pyserial ships no types)
        self.port = port

    def write(self, data: bytes) -> None:
        import serial

        try:
            self.port.write(data)
            self.port.flush()
        except serial.SerialTimeoutException as error:
            raise TimeoutError("the printer stopped taking data") from error

    def read(self, count: int) -> bytes:
        return bytes(self.port.read(count))

    def close(self) -> None:
        self.port.close()


@dataclass(frozen=True)
class SerialConnector:
    path: str
    baud: int = 19200
    answers_status = False

    @property
    def name(self) -> str:
        return f"{self.path} at {self.baud} baud"

    def open(self, timeout: float) -> Link:
        import serial  # pyserial: loaded only by tills with a serial printer

        try:
            port = serial.Serial(
                self.path, self.baud, timeout=timeout, write_timeout=timeout, rtscts=False
            )
        except serial.SerialException as error:
            raise OSError(str(error)) from error
        return _SerialLink(port)


# ---------------------------------------------------------------------------------------------


def _usb_ids(text: str) -> tuple[int, int]:
    vendor, sep, product = text.partition(":")
    try:
        if not sep:
            raise ValueError
        return int(vendor, 16), int(product, 16)
    except ValueError:
        raise ValueError(
            f"USB printer {text!r}: expected vendor:product in hex, e.g. usb://04b8:0202"
        ) from None


def parse_connection(target: str) -> Connector:
    """The connection a target string names. Raises ValueError saying what is wrong."""
    target = target.strip()
    if not target:
        raise ValueError("the thermal printer needs a connection, e.g. tcp://192.168.1.50")
    if target.startswith("/"):
        return DeviceConnector(Path(target))
    parts = urlsplit(target)
    if parts.scheme == "tcp":
        if not parts.hostname:
            raise ValueError(f"network printer {target!r}: expected tcp://HOST[:PORT]")
        try:
            port = parts.port or RAW_PORT
        except ValueError:
            raise ValueError(f"network printer {target!r}: the port is not a number") from None
        return TcpConnector(parts.hostname, port)
    if parts.scheme == "usb":
        return UsbConnector(*_usb_ids(parts.netloc or parts.path))
    if parts.scheme == "serial" and parts.path:
        baud = parse_qs(parts.query).get("baud", ["19200"])[0]
        if not baud.isdigit():
            raise ValueError(f"serial printer {target!r}: baud must be a number")
        return SerialConnector(parts.path, int(baud))
    if parts.scheme == "file" and parts.path:
        return DeviceConnector(Path(parts.path))
    raise ValueError(
        f"printer connection {target!r}: expected tcp://HOST[:PORT], usb://VENDOR:PRODUCT, "
        "serial:///dev/ttyX[?baud=N] or a device path such as /dev/usb/lp0"
    )


def failure(connector: Connector, error: BaseException, timeout: float) -> PrintError:
    """A cashier's sentence for a connection that failed."""
    where = connector.name
    if isinstance(error, ConnectionRefusedError):
        return PrintError(f"the printer at {where} refused the connection (is it on?)")
    if isinstance(error, TimeoutError):
        return PrintError(f"the printer at {where} did not answer within {timeout:g} s")
    if isinstance(error, FileNotFoundError):
        return PrintError(f"printer {where} not found: {error.strerror or error}")
    if isinstance(error, PermissionError):
        return PrintError(f"no permission to use the printer {where}")
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return PrintError(f"the printer at {where} could not be reached: {reason}")
