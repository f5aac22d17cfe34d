#!/usr/bin/python3
"""A gRPC client that is not Pulley's: Debian's grpcio, no generated code, raw request bytes.

Reads one JSON job from stdin:
  {"target": "127.0.0.1:PORT", "authority": "localhost",
   "ca": PEM or null (null: plaintext), "cert": PEM or null, "key": PEM or null,
   "calls": [{"method": "/pulley.v1.AdminService/ListHosts", "request": HEX, "held": false}]}
Prints one line per call, "METHOD STATUS" (OK or the gRPC status code's name), in order.
Calls marked "held" are started first; the script prints "STARTED" and waits for a line on
stdin before it collects them, so the test can act (revoke the host) while they are open.
"""
import json
import sys

import grpc

job = json.loads(sys.stdin.readline())
if job["ca"] is None:
    channel = grpc.insecure_channel(job["target"])
else:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=job["ca"].encode(),
        private_key=job["key"].encode() if job["key"] else None,
        certificate_chain=job["cert"].encode() if job["cert"] else None,
    )
    channel = grpc.secure_channel(
        job["target"],
        credentials,
        options=[("grpc.ssl_target_name_override", job["authority"])],
    )


def call(spec):
    method = channel.unary_unary(spec["method"])
    return method.future(bytes.fromhex(spec["request"]), timeout=spec.get("timeout", 10))


def outcome(future):
    try:
        future.result()
        return "OK"
    except grpc.RpcError as error:
        return error.code().name


held = [(spec, call(spec)) for spec in job["calls"] if spec.get("held")]
if held:
    print("STARTED", flush=True)
    sys.stdin.readline()
for spec in job["calls"]:
    if spec.get("held"):
        future = next(f for s, f in held if s is spec)
    else:
        future = call(spec)
    print(spec["method"], outcome(future), flush=True)
