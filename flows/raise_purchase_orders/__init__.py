"""The raise-purchase-orders flow: each approved purchase request in a file becomes one Oracle
purchase order, raised exactly once."""
