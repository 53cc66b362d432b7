"""What the REST resources do when written to: each function applies the rules and the change."""
