"""The four ways to a thermal printer, each over something real on this machine: the virtual
printer on loopback TCP, a pseudo-terminal as the serial port, a pipe as the device file, and
a /sys-like tree for finding a USB printer by its ids."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from pos_app.adapters.escpos import PROFILES, EscposPrinter, VirtualPrinter, decode
from pos_app.adapters.escpos.connections import (
    DeviceConnector,
    SerialConnector,
    TcpConnector,
    UsbConnector,
    parse_connection,
)
from pos_app.domain.paper import PrintError, ReceiptLanguage

PROFILE = PROFILES["80mm-48"]


def test_targets_are_parsed_or_refused_with_the_expected_form() -> None:
    assert parse_connection("tcp://192.168.1.50") == TcpConnector("192.168.1.50", 9100)
    assert parse_connection("tcp://printer.local:9101") == TcpConnector("printer.local", 9101)
    assert parse_connection("usb://04b8:0202") == UsbConnector(0x04B8, 0x0202)
    assert parse_connection("serial:///dev/ttyUSB0?baud=38400") == SerialConnector(
        "/dev/ttyUSB0", 38400
    )
    assert parse_connection("/dev/usb/lp0") == DeviceConnector(Path("/dev/usb/lp0"))
    assert parse_connection("file:///dev/usb/lp1") == DeviceConnector(Path("/dev/usb/lp1"))
    for bad, said in (
        ("", "needs a connection"),
        ("tcp://", "tcp://HOST"),
        ("tcp://host:port", "not a number"),
        ("usb://04b8", "vendor:product"),
        ("usb://zz:01", "vendor:product"),
        ("serial:///dev/ttyS0?baud=fast", "baud"),
        ("lpt1", "expected tcp://"),
    ):
        with pytest.raises(ValueError, match=said):
            parse_connection(bad)


def test_network_printer_gets_the_job_after_saying_it_has_paper() -> None:
    with VirtualPrinter() as printer:
        thermal = EscposPrinter(PROFILE, parse_connection(printer.target), timeout=2)
        thermal.open_drawer()
        printer.mode = "paper_out"
        with pytest.raises(PrintError, match="out of paper"):
            thermal.open_drawer()
    job = decode(printer.jobs[0])
    assert job.status_queries == 2 and job.drawer_pulses == 1
    assert decode(printer.jobs[1]).drawer_pulses == 0  # refused before the job was sent


def test_stalled_and_refusing_network_printers_fail_within_the_timeout() -> None:
    with VirtualPrinter(mode="stalled") as printer:
        thermal = EscposPrinter(PROFILE, parse_connection(printer.target), timeout=0.3)
        with pytest.raises(PrintError, match=r"did not answer within 0\.3 s"):
            thermal.open_drawer()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    thermal = EscposPrinter(PROFILE, TcpConnector("127.0.0.1", port), timeout=0.3)
    with pytest.raises(PrintError, match="refused the connection"):
        thermal.open_drawer()


def read_all(fd: int, into: bytearray, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into += chunk


def test_serial_printer_on_a_pseudo_terminal() -> None:
    master, slave = os.openpty()
    received = bytearray()
    stop = threading.Event()
    reader = threading.Thread(target=read_all, args=(master, received, stop), daemon=True)
    reader.start()
    try:
        thermal = EscposPrinter(PROFILE, SerialConnector(os.ttyname(slave), 19200), timeout=2)
        thermal.print_test_page(ReceiptLanguage.FR)
    finally:
        os.close(slave)
        reader.join(timeout=5)
        stop.set()
        os.close(master)
    assert decode(bytes(received)).cuts == 1


def test_device_file_and_a_device_that_stops_taking_data(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    # The printer's end of the device; a pipe keeps what is written while it is open.
    printer_end = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        EscposPrinter(PROFILE, DeviceConnector(fifo), timeout=2).open_drawer()
        assert decode(os.read(printer_end, 65536)).drawer_pulses == 1
        # Now it takes nothing more (its buffer full): the write gives up in time.
        stalled = EscposPrinter(PROFILE, DeviceConnector(fifo), timeout=0.3)
        with pytest.raises(PrintError, match=r"did not answer within 0\.3 s"):
            stalled.send(b"\n" * 1_000_000)
    finally:
        os.close(printer_end)
    missing = EscposPrinter(PROFILE, DeviceConnector(tmp_path / "lp9"), timeout=0.3)
    with pytest.raises(PrintError, match="not found"):
        missing.open_drawer()


def fake_sysfs(root: Path, entries: dict[str, tuple[str, str]]) -> Path:
    """/sys/class/usbmisc/lpN/device -> .../usbX/X-Y/X-Y:1.0, ids in X-Y."""
    usbmisc = root / "class" / "usbmisc"
    usbmisc.mkdir(parents=True)
    for number, (name, (vendor, product)) in enumerate(entries.items()):
        device = root / "devices" / f"usb1/1-{number}"
        interface = device / f"1-{number}:1.0"
        interface.mkdir(parents=True)
        (device / "idVendor").write_text(vendor + "\n")
        (device / "idProduct").write_text(product + "\n")
        (usbmisc / name).mkdir()
        (usbmisc / name / "device").symlink_to(interface)
    return usbmisc


def test_usb_printer_is_found_by_its_ids_on_any_port(tmp_path: Path) -> None:
    sysfs = fake_sysfs(tmp_path / "sys", {"lp0": ("0519", "0003"), "lp1": ("04b8", "0202")})
    devices = tmp_path / "dev"
    epson = UsbConnector(0x04B8, 0x0202, sysfs=sysfs, devices=devices)
    assert epson.device() == devices / "lp1"
    other = UsbConnector(0x1504, 0x0006, sysfs=sysfs, devices=devices)
    with pytest.raises(FileNotFoundError, match="1504:0006 is plugged in"):
        other.device()
    thermal = EscposPrinter(PROFILE, other, timeout=0.3)
    with pytest.raises(PrintError, match="USB 1504:0006 not found"):
        thermal.open_drawer()
