"""Child process of the cashier's-day crash drill: sells, refunds and closes shifts in a loop
until killed, printing each record once it is committed."""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal
from pathlib import Path

from pos_app.bootstrap import Bootstrap
from pos_app.services.runtime import RuntimeOptions
from tests.services.till import paid_cart


async def main(data_dir: Path) -> None:
    runtime = Bootstrap(RuntimeOptions(data_dir=data_dir, api_url="http://127.0.0.1:9"))
    async with runtime.open_services(connect=False) as s:
        print("ready", flush=True)
        n = 0
        while True:
            if await s.shifts.current() is None:
                await s.shifts.open(Decimal("10.00"))
            sale = await s.checkout.finish_sale(paid_cart(n), print_receipt=False)
            print(sale.order_number, flush=True)
            refund = await s.corrections.refund(sale.order_number, None, print_receipt=False)
            print(refund.order_number, flush=True)
            n += 1
            if n % 3 == 0:
                await s.shifts.close(counted=Decimal("10.00"))
                print("closed", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
