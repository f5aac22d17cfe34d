#!/usr/bin/env bash
# The quick tour without root: a controller and an agent as plain processes on this machine, an
# example manifest applied, the release it deployed, a second commit going live, and a rollback.
#
#   ./demo-local.sh         run the tour, then stop everything
#   ./demo-local.sh --keep  leave the controller and agent running afterwards
#
# Everything lives under /tmp/pulley-demo (removed at the start of each run).
set -euo pipefail
cd "$(dirname "$0")"

KEEP=false
[[ "${1:-}" == "--keep" ]] && KEEP=true
DEMO=/tmp/pulley-demo
CONTROLLER_JAR=controller/app/target/pulley-controller.jar
AGENT_JAR=agent/target/pulley-agent.jar
PIDS=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# The CLI keeps its credentials under the demo directory, not in your home.
pulley() { XDG_CONFIG_HOME="$DEMO/cli" java -jar "$CONTROLLER_JAR" "$@"; }
cleanup() {
  if ! $KEEP; then
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [[ ! -f "$CONTROLLER_JAR" || ! -f "$AGENT_JAR" ]]; then
  say "Building Pulley (first run only)"
  ./mvnw -B -q package -DskipTests
fi

say "A Git repository to deploy: $DEMO/hello.git"
rm -rf "$DEMO"
mkdir -p "$DEMO/work" "$DEMO/srv"
git init -q -b main "$DEMO/work"
git -C "$DEMO/work" -c user.name=demo -c user.email=demo@example.invalid -c commit.gpgsign=false \
  commit -q --allow-empty -m "empty start"
echo "print('hello from version 1')" > "$DEMO/work/app.py"
git -C "$DEMO/work" add app.py
git -C "$DEMO/work" -c user.name=demo -c user.email=demo@example.invalid -c commit.gpgsign=false \
  commit -q -m "version 1"
git clone -q --bare "$DEMO/work" "$DEMO/hello.git"

say "Starting the controller"
java -jar "$CONTROLLER_JAR" serve --data-dir "$DEMO/controller" --listen 127.0.0.1:0 \
  --port-file "$DEMO/controller.port" > "$DEMO/controller.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [[ -s "$DEMO/controller.port" ]] && break; sleep 0.2; done
[[ -s "$DEMO/controller.port" ]] || { cat "$DEMO/controller.log"; echo "controller did not start"; exit 1; }
export PULLEY_CONTROLLER="127.0.0.1:$(cat "$DEMO/controller.port")"
echo "controller at $PULLEY_CONTROLLER, TLS with its own CA (log: $DEMO/controller.log)"

say "pulley login, with the token the controller wrote for its first admin"
pulley login --token-file "$DEMO/controller/initial-admin-token"

say "pulley token create --label role=demo: the host's way in (it also pins the controller's CA)"
pulley -o json token create --label role=demo --uses 1 --expires 1h --description demo \
  > "$DEMO/token.json"
TOKEN=$(sed -n 's/.*"token": "\([^"]*\)".*/\1/p' "$DEMO/token.json")
echo "$TOKEN"
install -m 600 /dev/null "$DEMO/agent.token"
printf '%s\n' "$TOKEN" > "$DEMO/agent.token"

say "Starting an agent (host demo-host): it enrols with the token, then speaks mutual TLS"
java -jar "$AGENT_JAR" --controller "$PULLEY_CONTROLLER" --host-id demo-host \
  --data-dir "$DEMO/agent" --token-file "$DEMO/agent.token" --allowed-root "$DEMO/srv" \
  > "$DEMO/agent.log" 2>&1 &
PIDS+=($!)

wait_converged() {
  for _ in $(seq 150); do
    if pulley status demo-host > /dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  pulley status demo-host || true
  echo "the agent did not converge; see $DEMO/agent.log"
  return 1
}

say "pulley apply -f docs/examples/hello.yaml"
pulley apply -f docs/examples/hello.yaml
wait_converged
pulley status
pulley status demo-host

say "What the agent deployed"
ls -lA "$DEMO/srv/hello" "$DEMO/srv/hello/app/releases"
echo "current -> $(readlink "$DEMO/srv/hello/app/current")"
cat "$DEMO/srv/hello/app/current/app.py"

say "A new commit, applied again: a new revision, a new release"
echo "print('hello from version 2')" > "$DEMO/work/app.py"
git -C "$DEMO/work" -c user.name=demo -c user.email=demo@example.invalid -c commit.gpgsign=false \
  commit -q -am "version 2"
git -C "$DEMO/work" push -q "$DEMO/hello.git" main
pulley apply -f docs/examples/hello.yaml
wait_converged
cat "$DEMO/srv/hello/app/current/app.py"

say "pulley rollback hello demo 1"
pulley rollback hello demo 1
wait_converged
cat "$DEMO/srv/hello/app/current/app.py"
pulley history hello demo

if $KEEP; then
  say "Still running: export XDG_CONFIG_HOME=$DEMO/cli; try pulley hosts, pulley plan demo-host"
  echo "stop with: kill ${PIDS[*]}"
else
  say "Done; stopping the controller and the agent (./demo-local.sh --keep leaves them running)"
fi
