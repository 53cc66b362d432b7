"""Building blocks shared by the flows: reading the spreadsheets people drop in the inbox."""
