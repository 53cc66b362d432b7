"""The sync-suppliers flow: reconcile the council's supplier file with Oracle (plan, then apply)."""
