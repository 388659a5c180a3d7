#!/usr/bin/env bash
# Makes a private CA and a certificate for localhost (openssl), starts mistsim over
# HTTPS with it, and runs the TLS example with MIST_URL, MIST_TOKEN and MIST_CA_FILE.
#   run_tls_example.sh MISTSIM PROGRAM
set -euo pipefail
mistsim=$(realpath "$1")
program=$(realpath "$2")
dir=$(mktemp -d)
trap 'kill "${sim:-}" 2>/dev/null || true; wait "${sim:-}" 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=mistasync example CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost\n' > san.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext 2>/dev/null
"$mistsim" --listen 127.0.0.1:0 --tls-cert server.pem --tls-key server.key > sim.out 2>&1 &
sim=$!
for _ in $(seq 1 200); do
  grep -q '^api token: ' sim.out && break
  sleep 0.05
done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' sim.out)
MIST_URL="https://localhost:$port" MIST_TOKEN=$(sed -n 's/^api token: //p' sim.out) MIST_CA_FILE="$dir/ca.pem" "$program"
