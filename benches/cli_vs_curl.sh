#!/usr/bin/env bash
# Wall time of one `sectigo-revoke revoke` process against one `curl` process sending
# the same form, each opening its own connection to a simulator process on loopback,
# measured by hyperfine in one run. Prints hyperfine's table and the ratio of the mean
# times (CLI / curl).
#
# Both send certificate ID 2000005, which the simulator's built-in catalogue lists as
# revoked, so every run gets code -21. The command line then exits with 3 ("already in
# a final state"), which hyperfine accepts because of --ignore-failure. Each command is
# run once first and its output checked. The command line is built in release mode.
#
#   benches/cli_vs_curl.sh [RUNS]      (default 200 runs of each, after 20 warm-up runs)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-200}
if ! command -v hyperfine >/dev/null; then
    echo "error: hyperfine is not installed; install it with: apt-get install hyperfine" >&2
    exit 1
fi

cargo build --quiet --release --locked -p sectigo-revoke-cli
bin=$PWD/target/release/sectigo-revoke

work=$(mktemp -d)
simulator_pid=""
cleanup() {
    if [[ -n "$simulator_pid" ]]; then
        kill -TERM "$simulator_pid" 2>/dev/null || true
        wait "$simulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The simulator accepts the demo login when no login is set in the environment.
unset SECTIGO_LOGIN_NAME SECTIGO_LOGIN_PASSWORD SECTIGO_ENDPOINT
unset http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
"$bin" simulate --ca-file "$work/ca.pem" --ready-file "$work/ready" >"$work/simulator.out" 2>&1 &
simulator_pid=$!
for _ in $(seq 100); do
    [[ -s "$work/ready" ]] && break
    sleep 0.1
done
endpoint=$(cat "$work/ready")

export SECTIGO_LOGIN_NAME=demo SECTIGO_LOGIN_PASSWORD=demo-password
cli="$bin revoke --endpoint $endpoint --ca-bundle $work/ca.pem --no-proxy --certificate-id 2000005"
body="loginName=demo&loginPassword=demo-password&certificateID=2000005&codeReason=0&responseFormat=1"
curl="curl --silent --show-error --cacert $work/ca.pem --noproxy * --data $body $endpoint"

status=0
output=$($cli) || status=$?
if [[ $status -ne 3 || "$output" != already\ revoked:* ]]; then
    echo "error: the command line exited with $status and printed: $output" >&2
    exit 1
fi
output=$($curl)
if [[ "$output" != errorCode=-21\&* ]]; then
    echo "error: curl printed: $output" >&2
    exit 1
fi

hyperfine --shell=none --ignore-failure --warmup 20 --runs "$runs" --export-json "$work/times.json" \
    --command-name "sectigo-revoke revoke" "$cli" --command-name "curl" "$curl"

python3 - "$work/times.json" <<'PYTHON'
import json, sys
results = {result["command"]: result for result in json.load(open(sys.argv[1]))["results"]}
cli, curl = results["sectigo-revoke revoke"], results["curl"]
print(f"mean:   sectigo-revoke {cli['mean'] * 1000:.2f} ms, curl {curl['mean'] * 1000:.2f} ms, "
      f"ratio {cli['mean'] / curl['mean']:.2f}")
print(f"median: sectigo-revoke {cli['median'] * 1000:.2f} ms, curl {curl['median'] * 1000:.2f} ms, "
      f"ratio {cli['median'] / curl['median']:.2f}")
PYTHON
