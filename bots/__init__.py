"""Page objects for Oracle Fusion's procurement pages (Redwood / Oracle JET).

One class per page or region, the Playwright ``Page`` passed in, methods named for the user's
intent.
Bots raise only the errors in :mod:`bots.errors`; they never assert and never sleep.
"""
