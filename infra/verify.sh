#!/usr/bin/env bash
# Verifies the container image on this machine (not part of .ci/run: it needs Docker and root):
#   sudo bash infra/verify.sh            (SKIP_BUILD=1 to reuse an image already built as $IMAGE)
# 1. builds the image offline on local/runtime-deps:bookworm (made first if missing);
# 2. one container (all roles) against a throwaway PostgreSQL on the host: migrate, /healthz, /readyz, non-root
#    and read-only, operator via docker exec, onboarding to Active, relay TLS 1.3 with a certificate request,
#    TLS 1.2 refused, /metrics on the management listener only, JSON logs with trace ids;
# 3. two web, two relay and one jobs container against the same PostgreSQL and one shared /data.
# Host networking only (every listener on 127.0.0.1). Prints PASS/FAIL lines and the figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${IMAGE:-aspservice:verify}"
PGPORT="${PGPORT:-55432}"
work="$(mktemp -d /tmp/aspverify.XXXXXX)"
chmod 755 "$work"
containers=()
failures=0

cleanup() {
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  su postgres -c "pg_ctl -D '$work/pgrun/pg' -m fast stop" >/dev/null 2>&1 || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }
wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do [[ "$(status_of "$1")" == 200 ]] && return 0; sleep 1; done; return 1
}

# --- static material ---------------------------------------------------------------------------------------------
for stack in postgres sqlserver; do
  check "compose $stack.yml passes docker-compose config" bash -c "cd '$root/infra/compose' && POSTGRES_PASSWORD=x MSSQL_SA_PASSWORD=x \
    DATAPROTECTION_CERTIFICATE_PASSWORD=x docker-compose -f $stack.yml config >/dev/null"
done
if command -v kubectl >/dev/null; then
  kubectl kustomize "$root/infra/k8s/overlays/example" >"$work/k8s.yaml"
  check "kustomize renders: web/relay/jobs with probes, limits, non-root, read-only; migrate Job" python3 - "$work/k8s.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
assert set(deployments) == {"aspservice-web", "aspservice-relay", "aspservice-jobs"}, deployments.keys()
for name, d in deployments.items():
    pod = d["spec"]["template"]["spec"]
    c = pod["containers"][0]
    assert pod["securityContext"]["runAsNonRoot"] is True, name
    assert c["securityContext"]["readOnlyRootFilesystem"] is True and c["securityContext"]["capabilities"]["drop"] == ["ALL"], name
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz" and c["livenessProbe"]["httpGet"]["path"] == "/healthz", name
    assert c["resources"]["requests"] and c["resources"]["limits"], name
    assert any(e["name"] == "Server__Roles" for e in c["env"]), name
jobs = [d for d in docs if d["kind"] == "Job"]
assert jobs and jobs[0]["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
kinds = sorted({d["kind"] for d in docs})
print("  rendered:", ", ".join(kinds))
PY
fi

# --- image --------------------------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  docker image inspect local/runtime-deps:bookworm >/dev/null 2>&1 || bash "$root/infra/make-local-base.sh"
  started=$(date +%s)
  BASE_IMAGE=local/runtime-deps:bookworm bash "$root/infra/build-image.sh" "$IMAGE" >"$work/build.log" 2>&1 \
    || { tail -20 "$work/build.log"; exit 1; }
  echo "image $IMAGE built in $(( $(date +%s) - started )) s, $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
fi

# --- throwaway PostgreSQL on the host -----------------------------------------------------------------------------
pgpass="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
mkdir -p "$work/pgrun"
echo "$pgpass" >"$work/pgrun/pgpass"
chown -R postgres "$work/pgrun"
su postgres -c "initdb -D '$work/pgrun/pg' -U aspservice --auth=scram-sha-256 --pwfile='$work/pgrun/pgpass'" >/dev/null
su postgres -c "pg_ctl -D '$work/pgrun/pg' -l '$work/pgrun/pg.log' -o \"-p $PGPORT -k '$work/pgrun' -c listen_addresses=127.0.0.1\" -w start" >/dev/null

# Secrets reach the containers through an env file (mode 600), never the command line.
install -m 600 /dev/null "$work/env"
cat >"$work/env" <<ENV
Database__Provider=PostgreSql
Database__Catalog=Host=127.0.0.1;Port=$PGPORT;Username=aspservice;Password=$pgpass;Database=aspservice_catalog
Database__TenantServer=Host=127.0.0.1;Port=$PGPORT;Username=aspservice;Password=$pgpass
Server__MigrateCatalogOnStart=false
Relay__ServerNames__0=localhost
Relay__ServerNames__1=127.0.0.1
ENV
mkdir -p "$work/data/tmp" && chown -R 1654:1654 "$work/data"
run() { # name, extra docker args...
  local name="$1"; shift
  containers+=("$name")
  docker run -d --name "$name" --network host --read-only --env-file "$work/env" -v "$work/data:/data" "$@" "$IMAGE" >/dev/null
}

# --- one container ------------------------------------------------------------------------------------------------
started=$(date +%s.%N)
check "migrate (one-shot container)" docker run --rm --network host --read-only --env-file "$work/env" -v "$work/data:/data" "$IMAGE" migrate
echo "  migrate took $(echo "$(date +%s.%N) - $started" | bc | cut -c1-5) s"
run asp-single -e Urls=http://127.0.0.1:18080 -e HEALTH_PORT=18080 -e Relay__Listen=https://127.0.0.1:18443 \
  -e Observability__MetricsListen=http://127.0.0.1:19464
started=$(date +%s.%N)
check "/healthz 200" wait_for http://127.0.0.1:18080/healthz 90
echo "  healthy after $(echo "$(date +%s.%N) - $started" | bc | cut -c1-5) s"
check "/readyz 200" test "$(status_of http://127.0.0.1:18080/readyz)" == 200
check "runs as uid 1654 (non-root)" test "$(docker exec asp-single bash -c 'id -u')" == 1654
check "root filesystem read-only" bash -c "! docker exec asp-single bash -c 'touch /app/x' 2>/dev/null"
check "/data writable" docker exec asp-single bash -c 'touch /data/tmp/probe && rm /data/tmp/probe'
check "only /data is a volume" test "$(docker inspect -f '{{range .Mounts}}{{.Destination}} {{end}}' asp-single)" == "/data "
created="$(docker exec asp-single /app/AspService.Server operators create --email ops@provider.example --admin)"
password="$(sed -n 's/.*one-time password: //p' <<<"$created")"
check "operators create via docker exec" test -n "$password"
if out="$(python3 "$root/infra/verify/journey.py" --web http://127.0.0.1:18080 --email ops@provider.example --password "$password" --code 131016)"; then
  pass "operator TOTP sign-in and onboarding to Active: $out"
else
  fail "onboarding: $out"
fi

tls13="$(openssl s_client -connect 127.0.0.1:18443 -servername localhost -tls1_3 </dev/null 2>&1 || true)"
check "relay TLS 1.3 handshake" grep -q "TLSv1.3" <<<"$tls13"
check "relay asks for a client certificate" grep -q "Requested Signature Algorithms\|Acceptable client certificate CA names\|Client Certificate Types" <<<"$tls13"
check "relay refuses TLS 1.2" bash -c "! openssl s_client -connect 127.0.0.1:18443 -servername localhost -tls1_2 </dev/null >/dev/null 2>&1"

metrics="$(curl -s http://127.0.0.1:19464/metrics)"
check "management /metrics has http_server_request_duration" grep -q '^http_server_request_duration_seconds_bucket' <<<"$metrics"
check "management /metrics has aspservice_*" grep -q '^aspservice_tenants{.*state="Active".*} 1' <<<"$metrics"
check "public /metrics is 404" test "$(status_of http://127.0.0.1:18080/metrics)" == 404
check "relay port serves no /metrics" test "$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:18443/metrics || true)" != 200
docker logs asp-single >"$work/single.log" 2>&1
check "console logs are JSON lines with trace ids" python3 - "$work/single.log" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
records = [json.loads(l) for l in lines if l.startswith("{")]
plain = [l for l in lines if not l.startswith("{")]
traced = [r for r in records if any("TraceId" in s for s in r.get("Scopes", []) if isinstance(s, dict))]
print(f"  {len(records)} JSON lines, {len(plain)} other lines (startup banner), {len(traced)} with a TraceId")
sys.exit(0 if records and traced else 1)
PY
check "no secret in the logs" bash -c "! grep -qF -e '$password' -e '$pgpass' '$work/single.log'"
docker rm -f asp-single >/dev/null

# --- two web, two relay, one jobs ---------------------------------------------------------------------------------
run asp-web1 -e Server__Roles=web -e Urls=http://127.0.0.1:18081 -e HEALTH_PORT=18081 -e Observability__MetricsListen=http://127.0.0.1:19465
check "web1 healthy" wait_for http://127.0.0.1:18081/healthz 90
run asp-web2 -e Server__Roles=web -e Urls=http://127.0.0.1:18082 -e HEALTH_PORT=18082 -e Observability__MetricsListen=http://127.0.0.1:19466
run asp-relay1 -e Server__Roles=relay -e Urls=http://127.0.0.1:18083 -e HEALTH_PORT=18083 -e Relay__Listen=https://127.0.0.1:18444 \
  -e Relay__PublicUrl=https://localhost:18444 \
  -e Observability__MetricsListen=http://127.0.0.1:19467
run asp-relay2 -e Server__Roles=relay -e Urls=http://127.0.0.1:18084 -e HEALTH_PORT=18084 -e Relay__Listen=https://127.0.0.1:18445 \
  -e Relay__PublicUrl=https://localhost:18445 \
  -e Observability__MetricsListen=http://127.0.0.1:19468
run asp-jobs -e Server__Roles=jobs -e Urls=http://127.0.0.1:18085 -e HEALTH_PORT=18085 -e Observability__MetricsListen=http://127.0.0.1:19469
for port in 18082 18083 18084 18085; do check "node :$port healthy and ready" bash -c "$(declare -f wait_for status_of); wait_for http://127.0.0.1:$port/readyz 90"; done
check "image HEALTHCHECK (bash /dev/tcp → /healthz) reports healthy" bash -c \
  "for _ in \$(seq 1 60); do [[ \$(docker inspect -f '{{.State.Health.Status}}' asp-web1) == healthy ]] && exit 0; sleep 2; done; exit 1"
created="$(docker exec asp-web2 /app/AspService.Server operators create --email ops2@provider.example --admin)"
password="$(sed -n 's/.*one-time password: //p' <<<"$created")"
if out="$(python3 "$root/infra/verify/journey.py" --web http://127.0.0.1:18081 --web2 http://127.0.0.1:18082 --email ops2@provider.example --password "$password" --code 131024)"; then
  pass "sign-in on web1, onboarding via web2, provisioned by the jobs container: $out"
else
  fail "multi-node onboarding: $out"
fi
for port in 18444 18445; do
  check "relay :$port TLS 1.3" bash -c "openssl s_client -connect 127.0.0.1:$port -servername localhost -tls1_3 </dev/null 2>&1 | grep -q TLSv1.3"
done
check "both relay nodes serve the same provider CA chain" bash -c \
  "diff <(openssl s_client -connect 127.0.0.1:18444 -showcerts </dev/null 2>/dev/null | openssl x509 -noout -issuer) <(openssl s_client -connect 127.0.0.1:18445 -showcerts </dev/null 2>/dev/null | openssl x509 -noout -issuer)"
# A relayed session across nodes: office PC on relay1, the home device asks relay2 and is sent to relay1.
dotnet build "$root/infra/verify/CrossNode" -v q --nologo >"$work/crossnode-build.log" 2>&1 || tail -20 "$work/crossnode-build.log"
if out="$(dotnet run --no-build --project "$root/infra/verify/CrossNode" -- http://127.0.0.1:18082 https://localhost:18444 https://localhost:18445 131024 "$work/data" "${MEGABYTES:-64}" 2>&1)"; then
  pass "relayed session across nodes (echo stands in for RDP): $out"
else
  fail "cross-node session: $out"
fi
relayed="$(curl -s http://127.0.0.1:19467/metrics | grep '^aspservice_relay_transferred_bytes_total' || true)"
check "relay1 counted the relayed bytes: ${relayed//$'\n'/; }" test -n "$relayed"
for c in asp-web1 asp-web2 asp-relay1 asp-relay2 asp-jobs; do
  echo "  $c: $(docker stats --no-stream --format '{{.MemUsage}} cpu {{.CPUPerc}}' "$c")"
done

echo "verify: $failures failure(s)"
exit $(( failures > 0 ))
