"""The built-in reports: one .cypher file each (see README.md here for the file format)."""
