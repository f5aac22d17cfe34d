#!/usr/bin/env bash
# Fan-out benchmark: how fast a new revision reaches N long-polling agents, what holding their
# polls costs the controller, and what their coming back after a controller restart costs it;
# over plaintext and mutual TLS. Each N and transport gets a fresh controller as a child process.
#
#   controller/bench/fanout.sh                       # N = 100, 1000, 10000; plaintext and mTLS
#   controller/bench/fanout.sh --agents 500 --ramp-per-second 500 --transport mtls
#
# Prints a Markdown table on stdout; progress goes to stderr.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Builds the controller's fat jar and compiles the benchmark (a test-source program).
./mvnw -B -o -q -pl controller/app -am package -DskipTests

# Each agent is one connection: the load generator needs one descriptor per agent, and so does
# the controller, which inherits this limit.
hard_limit="$(ulimit -Hn)"
if [[ "${hard_limit}" != unlimited ]]; then
  ulimit -n "${hard_limit}"
fi

# The fat jar carries gRPC, protobuf and the generated stubs the benchmark needs.
exec java \
  -Xms256m -Xmx2g \
  -Dlogback.configurationFile=controller/bench/logback-bench.xml \
  -cp controller/app/target/test-classes:testing/target/classes:controller/app/target/pulley-controller.jar \
  io.pulley.controller.bench.FanoutBenchmark "$@"
