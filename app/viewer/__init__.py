"""``rpa viewer``: a read-only web page over the run log and the audit trail, for support staff.

Server-rendered HTML (no script, nothing from a CDN): runs with filters, a run's page (summary,
timeline, items with Oracle's messages, screenshots inline, trace downloads), search by request
id or PO number, and the integrity status of each run. It binds 127.0.0.1 unless told
otherwise, and bound to any other address it requires the credentials from the configuration.
"""
