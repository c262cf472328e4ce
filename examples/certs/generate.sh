#!/usr/bin/env bash
# Regenerates the test certificates in this folder with openssl: a test issuing CA
# and three leaf certificates whose serial numbers cover the spellings that break
# naive tools. The simulator's built-in catalogue lists the same serials.
#
#   top-bit       serial E3A1…F6: the top bit is set, so DER stores 00 E3 A1 … (17 bytes)
#   leading-zero  serial 00 4D 2C …: the 16 random bytes start with a zero byte, so
#                 DER stores only 15 bytes (4D 2C …)
#   plain         serial 3C5A…F6: 16 bytes, top bit clear
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" \
    -subj "/C=GB/O=sectigo-revoke test/CN=sectigo-revoke Test Issuing CA" \
    -days 3650 -set_serial 0x01 -out issuing-ca.pem 2>/dev/null

issue() {
    local name=$1 serial=$2 host=$3
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/$name.key" \
        -subj "/C=GB/O=Example Ltd/CN=$host" -out "$work/$name.csr" 2>/dev/null
    printf 'subjectAltName=DNS:%s\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' "$host" > "$work/$name.ext"
    openssl x509 -req -in "$work/$name.csr" -CA issuing-ca.pem -CAkey "$work/ca.key" -set_serial "$serial" \
        -days 3650 -extfile "$work/$name.ext" -out "$name.pem" 2>/dev/null
    openssl x509 -in "$name.pem" -outform DER -out "$name.der"
}

issue top-bit 0xE3A15C7D902B4F61880CD237A94E15F6 www.example.com
issue leading-zero 0x004D2C6E1F0A9B8C7D6E5F4031223344 mail.example.com
issue plain 0x3C5A7E9102B4D6F8193A5C7E90B2D4F6 api.example.com
