"""What the services need from the outside world, as Protocols, one module per area (sales and
the outbox, the receipts API, paper, the audit trail, the catalog, customers, locations, house
accounts, the cashier's day...). The adapters implement them without importing them (they
never import services); bootstrap plugs them in. Row shapes are Protocols too, so services
never import an adapter.

Asynchronous methods are declared as returning Awaitable: an adapter may implement them with
`async def` or by handing the work to its own thread (the SQLite store does).

Import each name from its area's module: this package re-exports nothing.
"""
