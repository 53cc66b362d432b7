"""Page objects for Oracle Fusion's procurement pages (Redwood / Oracle JET).

One class per page or region, the Playwright ``Page`` passed in, methods named for the user's
intent. The flows reach them through :class:`bots.pages.OraclePages` and never see Playwright.
Bots raise only the errors in :mod:`bots.errors` (Playwright's own are translated at the edge,
:mod:`bots.playwright_errors`); they never assert and never sleep.
"""
