#!/usr/bin/env bash
# Tag-to-live benchmark: how long from a tag pushed to the release live on every host, with a
# push webhook and with polling alone. Runs a real controller, a real Git repository and real
# agents in one JVM; takes about five minutes with the defaults.
#
#   controller/bench/tag-to-live.sh
#   controller/bench/tag-to-live.sh --pushes 20 --poll-seconds 5 --poll-seconds 60
#
# Prints Markdown tables on stdout; progress goes to stderr.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Builds the controller's fat jar and the agent, and compiles the benchmark (a test-source program).
./mvnw -B -o -q -pl controller/app -am package -DskipTests

# The fat jar carries gRPC, protobuf, JGit and everything else the agent needs but its own classes,
# which the thin agent jar adds.
agent_jar="$(ls agent/target/pulley-agent-*.jar | grep -v -e sources -e javadoc -e apply | head -n 1)"
exec java \
  -Xms256m -Xmx1g \
  -Dlogback.configurationFile=controller/bench/logback-bench.xml \
  -cp "controller/app/target/test-classes:testing/target/classes:controller/app/target/pulley-controller.jar:${agent_jar}" \
  io.pulley.controller.bench.TagToLiveBenchmark "$@"
