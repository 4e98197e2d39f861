"""What every screen is given: the running services, the sale in progress, the bridge for
core events, and the runtime (settings files) for the settings dialog."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.services.runtime import AppServices, Runtime
from pos_app.services.sale_session import SaleSession
from pos_app.ui.bridge import Bridge


@dataclass
class UiContext:
    runtime: Runtime
    services: AppServices
    session: SaleSession
    bridge: Bridge

    @classmethod
    def build(cls, runtime: Runtime, services: AppServices) -> UiContext:
        session = services.session
        return cls(runtime, services, session, Bridge(services.sync, session))
