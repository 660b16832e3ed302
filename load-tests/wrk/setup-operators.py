#!/usr/bin/env python3
"""Registers N operators on a running host and writes their tokens for wrk (one per line).
Usage: setup-operators.py BASE_URL N OUT_FILE"""
import json, sys, urllib.request

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

def credit_code(n):
    first17 = "91370100" + f"{n:09d}"
    c = 31 - sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS)) % 31
    return first17 + ALPHABET[0 if c == 31 else c]

def post(url, body, token=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req) as r:
        return json.load(r)

base, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    for i in range(n):
        org = f"load-op-{i:05d}"
        token = post(f"{base}/dev/tokens", {"role": "operator", "org": org})["token"]
        post(f"{base}/api/operators", {"name": f"Load operator {i}", "creditCode": credit_code(i),
                                        "legalRepresentative": "Zhang San", "securityContact": "Li Si"}, token)
        f.write(f"{org} {token}\n")
print(f"registered {n} operators into {out}")
