"""Running untrusted student code: the sandboxed worker process and the scorer's handle on it."""
