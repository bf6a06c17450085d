#!/usr/bin/env python3
"""Operator sign-in (password + TOTP enrollment) and onboarding of one tenant to Active, over the public HTTP API.

  python3 infra/verify/journey.py --web http://127.0.0.1:18080 [--web2 URL] --email E --password P --code 131016

--web2: the onboarding requests go to a second web node with the cookie signed by the first (shared key ring).
Prints one JSON line: the tenant's state and how long onboarding took. Standard library only.
"""
import argparse, base64, hmac, http.cookiejar, json, struct, sys, time, urllib.error, urllib.request


def totp(secret_b32: str, at: float) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), "sha1").digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


class Client:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, method, url, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, text


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--web", required=True)
    args.add_argument("--web2")
    args.add_argument("--email", required=True)
    args.add_argument("--password", required=True)
    args.add_argument("--code", required=True)
    a = args.parse_args()
    ops = Client()
    status, answer = ops.call("POST", a.web + "/api/v1/ops/auth/login", {"email": a.email, "password": a.password})
    if status != 200:
        sys.exit(f"error: operator login {status} {answer}")
    status, enroll = ops.call("POST", a.web + "/api/v1/ops/auth/totp/enroll")
    if status != 200:
        sys.exit(f"error: totp enroll {status} {enroll}")
    status, answer = ops.call("POST", a.web + "/api/v1/ops/auth/totp", {"code": totp(enroll["secret"], time.time())})
    if status != 200:
        sys.exit(f"error: totp {status} {answer}")

    web = a.web2 or a.web
    started = time.monotonic()
    status, answer = ops.call("POST", web + "/api/v1/ops/tenants", {"code": a.code, "adminEmail": "admin@" + a.code + ".lg.example"})
    if status != 202:
        sys.exit(f"error: onboarding {status} {answer}")
    state = None
    while time.monotonic() - started < 180:
        status, tenant = ops.call("GET", web + "/api/v1/ops/tenants/" + a.code)
        state = tenant.get("state") if status == 200 else status
        if state == "Active":
            break
        time.sleep(0.5)
    print(json.dumps({"code": a.code, "state": state, "onboarding_seconds": round(time.monotonic() - started, 2), "via": web}))
    sys.exit(0 if state == "Active" else 1)


if __name__ == "__main__":
    main()
