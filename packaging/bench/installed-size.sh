#!/usr/bin/env bash
# What the agent costs a server's disk (docs/benchmarks.md, "Installed size of the agent"):
# pulley-agent-bundled, pulley-agent with the Java runtime apt brings for it, and Puppet's agent
# (Debian 12's `puppet`) for comparison. Each candidate is installed with
# `apt-get install --no-install-recommends` on its own fresh pristine server that has no Java (the
# images of DebianImage.withoutJava). The figure is the sum of Installed-Size of every package the
# install added, which is what apt's "After this operation, N MB of additional disk space" counts;
# as a cross-check, how much `du -skx /` grew (after `apt-get clean`).
#
#   sudo packaging/bench/installed-size.sh        build the packages first (./mvnw -B package)
#
# Needs root, like pristine.sh. Takes a few minutes; MB are 10^6 bytes, as apt prints them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pristine=$here/../system-tests/harness/pristine.sh
target=$here/../target
newest() { find "$target" -maxdepth 1 -name "$1" | sort | tail -1; }
bundled=$(newest 'pulley-agent-bundled_*_amd64.deb')
agent=$(newest 'pulley-agent_*_all.deb')
[[ -n $bundled && -n $agent ]] || { echo "installed-size.sh: no packages in $target" >&2; exit 1; }
count=0

# RELEASE LABEL WHAT: WHAT is a .deb file on this machine or a package name.
measure() {
  local release=$1 label=$2 what=$3 name
  count=$((count + 1))
  name=size-$$-$count
  "$pristine" --debian "$release" --no-java boot "$name" > /dev/null
  # shellcheck disable=SC2064 # the name is fixed now
  trap "'$pristine' stop '$name' > /dev/null 2>&1 || true" EXIT
  on() { "$pristine" exec "$name" "$@"; }
  packages() { on dpkg-query -W -f='${Package} ${Installed-Size}\n' | sort; }
  on env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  local before after du_before du_after added
  # apt-get clean also deletes apt's package caches (about 60 MB): clean before and after.
  on apt-get clean
  before=$(packages)
  du_before=$(on du -skx / | cut -f1)
  if [[ $what == *.deb ]]; then # copied in after the first du, deleted before the second
    on sh -c 'cat > /var/tmp/candidate.deb' < "$what"
    what=/var/tmp/candidate.deb
  fi
  on env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$what" \
    > "$target/installed-size-$count.log" 2>&1
  on sh -c 'apt-get clean && rm -f /var/tmp/candidate.deb'
  after=$(packages)
  du_after=$(on du -skx / | cut -f1)
  added=$(comm -13 <(echo "$before") <(echo "$after"))
  "$pristine" stop "$name" > /dev/null 2>&1 || true
  trap - EXIT
  echo "$added" | awk -v label="$label" -v release="$release" -v du=$((du_after - du_before)) '
    NF == 2 { n++; kib += $2 }
    END { printf "| %s | %s | %d | %.1f | %.1f |\n", label, release, n, kib * 1024 / 1e6, du * 1024 / 1e6 }'
  echo "$added" | awk 'NF == 2 { printf "    %s %d KiB\n", $1, $2 }' >&2
}

echo "| candidate | Debian | packages added | Installed-Size MB | du MB |"
echo "|---|---|---:|---:|---:|"
measure 12 pulley-agent-bundled "$bundled"
measure 12 "pulley-agent + Java" "$agent"
measure 12 puppet puppet
measure 13 pulley-agent-bundled "$bundled"
measure 13 "pulley-agent + Java" "$agent"
