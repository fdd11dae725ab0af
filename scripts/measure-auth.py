#!/usr/bin/env python3
"""What signing in and knowing who is asking cost, against a running server with the demo loaded.

    ./target/release/server &                    # or ./scripts/run.sh
    python3 scripts/measure-auth.py [host:port]  # default 127.0.0.1:3000

Prints sign-in latency (an Argon2id check and a new session), the per-request cost of finding the caller
(bearer token or session cookie) against a route that needs no caller, and the server-rendered /me and
week pages. One keep-alive connection, sequential requests.
"""
import http.client, json, sys, time, urllib.parse

host, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:3000").split(":")
connection = http.client.HTTPConnection(host, int(port))


def request(method, path, body=None, headers=None):
    start = time.perf_counter()
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    data = response.read()
    return (time.perf_counter() - start) * 1000, response, data


def sign_in(email, password):
    form = urllib.parse.urlencode({"email": email, "password": password, "next": ""})
    ms, response, _ = request("POST", "/auth/sign-in", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 303 and response.getheader("Location") != "/sign-in", "sign-in failed: is the demo loaded?"
    return ms, response.getheader("Set-Cookie").split(";")[0]


def percentiles(samples):
    samples = sorted(samples)
    return samples[len(samples) // 2], samples[int(len(samples) * 0.95)]


def measure(label, path, headers, runs=500):
    samples = []
    for _ in range(runs):
        ms, response, _ = request("GET", path, headers=headers)
        assert response.status == 200, (path, response.status)
        samples.append(ms)
    print("%-44s p50 %6.2f ms   p95 %6.2f ms" % ((label,) + percentiles(samples)))


sign_ins = [sign_in("manager@demo.mosaic.test", "demo-manager-2026") for _ in range(20)]
manager = sign_ins[-1][1]
print("%-44s p50 %6.2f ms   p95 %6.2f ms" % (("sign-in (Argon2id check, new session), 20x",) + percentiles([ms for ms, _ in sign_ins])))
_, response, data = request("POST", "/api/v1/me/tokens", json.dumps({"name": "measure-auth"}), {"Content-Type": "application/json", "Cookie": manager})
token = json.loads(data)["token"]
measure("GET /api/v1/health (no caller needed)", "/api/v1/health", {})
measure("GET /api/v1/me with a bearer token", "/api/v1/me", {"Authorization": "Bearer " + token})
measure("GET /api/v1/me with a session cookie", "/api/v1/me", {"Cookie": manager})
_, worker = sign_in("worker@demo.mosaic.test", "demo-worker-2026")
measure("GET /me, the worker's timeline (SSR)", "/me", {"Cookie": worker}, runs=100)
measure("GET /, a location's week (SSR)", "/", {"Cookie": manager}, runs=100)
request("DELETE", "/api/v1/me/tokens/" + json.loads(data)["id"], headers={"Cookie": manager})
