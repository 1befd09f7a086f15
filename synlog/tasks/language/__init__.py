"""Language and sequence tasks: strict answer shapes over text (Boolean expressions, Dyck
words, sorting, ciphers, table queries)."""
