#!/bin/sh
# Install Debian's nginx for bench/bench_abuse.py (the bench writes its own configuration in a
# temporary directory and runs nginx in the foreground; the system's nginx service is not used).
set -e
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    apt-get install -y nginx
fi
# Debian starts the packaged service on install; the bench needs none of it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
    echo "note: the system nginx service is running; the bench uses its own on 127.0.0.1:8767"
fi
/usr/sbin/nginx -v
