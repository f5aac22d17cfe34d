#!/usr/bin/env bash
# Pristine Debian 13 (or 12) servers by hand: the same images, names, addresses and cleanup rules as the
# Java harness (src/test/java/io/pulley/packaging/harness beside this folder), so servers booted
# here and by tests coexist and each side's sweep recognises the other's. Keep the two in step.
#
#   pristine.sh [--debian 13|12] [--no-java] COMMAND ...   (or PULLEY_DEBIAN=12; default 13)
#
# --no-java: the image without a Java runtime (DebianImage.withoutJava), for pulley-agent-bundled.
#
#   pristine.sh image              build (once) and print the cached image's root file system
#   pristine.sh key                print the image recipe's cache key
#   pristine.sh boot NAME          boot server pulley-t-NAME, print its address; it keeps running
#   pristine.sh exec NAME CMD...   run CMD inside it as root
#   pristine.sh shell NAME         an interactive shell inside it
#   pristine.sh stop NAME          halt it and remove every trace of it
#   pristine.sh list               servers with their addresses and owners
#   pristine.sh sweep              remove leftovers of servers whose owner process is gone
#
# Needs root, debootstrap, systemd-container and iproute2. The cache (images, server copies,
# server copies) is $PULLEY_HARNESS_CACHE, default /var/cache/pulley-harness; address claims
# are in /run/pulley-harness/claims.
#
# Network: a bridge pulleybr0 with 169.254.77.1/24 on the host; each server has its own network
# namespace whose eth0 (a veth, peer on the bridge) has 169.254.77.N/24 and no default route.
# Link-local addresses only: the servers reach the host side and each other, nothing beyond.
#
# apt: each server gets its own apt proxy (AptProxy.java of the Java harness, run with the JDK's
# source launcher, so this needs `java` 17+ too) on the host address, named in
# /etc/apt/apt.conf.d/01pulley-apt-proxy. It forwards GETs to the hosts of the image's apt sources
# only and keeps .deb files in $CACHE/apt-proxy/debs. It runs in the server's cgroup and goes
# when the server stops.
set -euo pipefail

CACHE=${PULLEY_HARNESS_CACHE:-/var/cache/pulley-harness}
# One test network per machine, so address claims are machine-wide too (see HarnessDirs.java).
CLAIMS=/run/pulley-harness/claims
PREFIX=pulley-t-
BRIDGE=pulleybr0
HOST_ADDRESS=169.254.77.1
SUBNET_PREFIX=169.254.77.
VETH_PREFIX=pulley-t-v
DEBIAN=${PULLEY_DEBIAN:-13}
if [[ ${1:-} == --debian ]]; then DEBIAN=${2:?usage: pristine.sh --debian 13|12 COMMAND}; shift 2; fi
NO_JAVA=
if [[ ${1:-} == --no-java ]]; then NO_JAVA=1; shift; fi
# Keep the recipe in step with DebianImage and DebianRelease: the same text gives the same key.
case $DEBIAN in
  13 | trixie) SUITE=trixie JAVA=openjdk-21-jre-headless ;;
  12 | bookworm) SUITE=bookworm JAVA=openjdk-17-jre-headless ;;
  *) echo "pristine.sh: unknown Debian release '$DEBIAN': use 13 (trixie) or 12 (bookworm)" >&2; exit 1 ;;
esac
RECIPE_VERSION=2
[[ -z $NO_JAVA ]] || JAVA=
# shellcheck disable=SC2086 # no Java: the word disappears
PACKAGES=$(printf '%s\n' ca-certificates dbus iproute2 $JAVA systemd systemd-sysv | sort | paste -sd,)
MASKED=apt-daily-upgrade.timer,apt-daily.timer
HOST_APT_ARCHIVES=/var/cache/apt/archives
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APT_PROXY_SOURCE=$HERE/../src/test/java/io/pulley/packaging/harness/AptProxy.java
APT_PROXY_CONF=etc/apt/apt.conf.d/01pulley-apt-proxy
# Moves itself into the cgroups named before "--", then execs the rest; see Cgroups.java.
CGROUP_WRAPPER='while [ "$1" != -- ]; do mkdir -p "$1" && echo $$ > "$1/cgroup.procs" || exit 125; shift; done; shift; exec "$@"'

die() { echo "pristine.sh: $*" >&2; exit 1; }
log() { echo "pristine.sh: $*" >&2; }

recipe() {
  printf 'recipe-version=%s\nsuite=%s\nvariant=minbase\npackages=%s\nmask=%s\n' \
    "$RECIPE_VERSION" "$SUITE" "$PACKAGES" "$MASKED"
}
key() { recipe | sha256sum | cut -c1-12; }
image_dir() { echo "$CACHE/images/debian-$SUITE-$(key)"; }

cmd_image() {
  local dir rootfs temp start
  dir=$(image_dir)
  rootfs=$dir/rootfs
  if [[ -d $rootfs ]]; then echo "$rootfs"; return; fi
  mkdir -p "$CACHE/images"
  temp=$(mktemp -d "$CACHE/images/building-XXXXXXXX")
  trap 'rm -rf --one-file-system "$temp"' EXIT
  start=$SECONDS
  log "building Debian $SUITE image $(key) (once per machine, a few minutes)"
  local cache_arg=()
  [[ -d $HOST_APT_ARCHIVES ]] && cache_arg=(--cache-dir="$HOST_APT_ARCHIVES")
  debootstrap --variant=minbase --include="$PACKAGES" "${cache_arg[@]}" "$SUITE" "$temp/rootfs" \
    > "$temp/debootstrap.log" 2>&1 || { tail -n 30 "$temp/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -f "$temp/debootstrap.log"
  find "$temp/rootfs/var/cache/apt/archives" -name '*.deb' -delete
  : > "$temp/rootfs/etc/machine-id"
  echo debian > "$temp/rootfs/etc/hostname"
  # debootstrap copied the build host's resolver; servers have no DNS, names are in /etc/hosts.
  rm -f "$temp/rootfs/etc/resolv.conf" && : > "$temp/rootfs/etc/resolv.conf"
  mkdir -p "$temp/rootfs/etc/systemd/system"
  local unit
  for unit in ${MASKED//,/ }; do ln -sfn /dev/null "$temp/rootfs/etc/systemd/system/$unit"; done
  recipe > "$temp/recipe"
  # The rename completes the image; if another builder won the race, ours is discarded.
  mv -T "$temp" "$dir" 2>/dev/null || log "another process finished the image first"
  rm -rf --one-file-system "$temp"
  trap - EXIT
  log "image ready after $((SECONDS - start)) s"
  echo "$rootfs"
}

# --- owners and claims (the same files Claims.java writes) ----------------------------------------

start_ticks() { # PID -> field 22 of /proc/PID/stat, or nothing
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  local rest=${stat##*) }
  # shellcheck disable=SC2086
  set -- $rest
  [[ $1 == Z || $1 == X ]] && return 0 # exited, not yet reaped
  echo "${20}"
}

claim_field() { sed -n "s/^$2=//p" "$1" 2>/dev/null; }

claim_live() { # CLAIM_FILE
  local pid start
  pid=$(claim_field "$1" owner_pid)
  start=$(claim_field "$1" owner_start)
  if [[ -z $pid || -z $start ]]; then
    # Still being written by its creator: live for a minute.
    [[ $(( $(date +%s) - $(stat -c %Y "$1") )) -lt 60 ]]
    return
  fi
  [[ "$(start_ticks "$pid")" == "$start" ]]
}

claim_text() { # NAME PID
  printf 'name=%s\nowner_pid=%s\nowner_start=%s\n' "$1" "$2" "$(start_ticks "$2")"
}

create_claim() { # FILE NAME PID; fails if FILE exists (noclobber opens with O_EXCL)
  (set -o noclobber; claim_text "$2" "$3" > "$1") 2>/dev/null
}

replace_claim() { # FILE NAME PID; atomic by rename
  claim_text "$2" "$3" > "$1.tmp" && mv -f "$1.tmp" "$1"
}

claim_of() { # NAME -> claim file of that server
  local file
  for file in "$CLAIMS"/"$SUBNET_PREFIX"*; do
    [[ -e $file && $(claim_field "$file" name) == "$1" ]] && { echo "$file"; return; }
  done
  return 0
}

# --- servers ------------------------------------------------------------------------------------

nspawn_pid() { # NAME -> PID of its systemd-nspawn, or nothing
  local dir argv
  for dir in /proc/[0-9]*; do
    argv=$(tr '\0' '\n' 2>/dev/null < "$dir/cmdline") || continue
    [[ $(head -n1 <<< "$argv") == *systemd-nspawn ]] || continue
    grep -qx -- "--machine=$1" <<< "$argv" && { echo "${dir#/proc/}"; return; }
  done
  return 0
}

init_pid() { # NAME -> PID of the container's systemd
  local nspawn
  nspawn=$(nspawn_pid "$1")
  [[ -n $nspawn ]] || die "server $1 is not running"
  pgrep -P "$nspawn" -x systemd || die "server $1 has no init yet"
}

cgroup_hierarchies() {
  if [[ -e /sys/fs/cgroup/cgroup.controllers ]]; then echo /sys/fs/cgroup; return; fi
  local h
  for h in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do [[ -e $h/cgroup.procs ]] && echo "$h"; done
  return 0
}

ensure_bridge() {
  ip link add "$BRIDGE" type bridge 2>/dev/null || true
  ip addr replace "$HOST_ADDRESS/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

remove_bridge_if_unused() {
  local file
  for file in "$CLAIMS"/*; do
    [[ -e $file ]] && claim_live "$file" && return 0
  done
  ip link delete "$BRIDGE" 2>/dev/null || true
}

teardown() { # NAME; idempotent, the same steps as ServerTeardown.java
  local name=$1 nspawn init i h claim
  nspawn=$(nspawn_pid "$name")
  if [[ -n $nspawn ]]; then
    init=$(pgrep -P "$nspawn" -x systemd || true)
    kill -TERM "$nspawn" 2>/dev/null || true # nspawn halts the container in order
    for ((i = 0; i < 200; i++)); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$nspawn" 2>/dev/null; then
      log "server $name did not halt; killing it"
      [[ -n $init ]] && kill -KILL "$init" 2>/dev/null || true
      kill -KILL "$nspawn" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  # A container whose nspawn was killed runs on without it; only its cgroup still finds it.
  local pids
  pids=$(cgroup_hierarchies | while read -r h; do
    [[ -d $h/$name ]] && find "$h/$name" -name cgroup.procs -exec cat {} +
  done | sort -u)
  if [[ -n $pids ]]; then
    log "killing processes left in cgroup $name"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
  fi
  awk -v root="$CACHE/servers/$name" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/mounts \
    | sort -r | while read -r mount; do umount -l "$mount"; done
  while read -r h; do
    [[ -d $h/$name ]] || continue
    for ((i = 0; i < 100; i++)); do
      find "$h/$name" -depth -type d -exec rmdir {} + 2>/dev/null && break
      sleep 0.1
    done
  done < <(cgroup_hierarchies)
  rm -rf --one-file-system "${CACHE:?}/servers/$name" "$CACHE/servers/$name.console" \
    "/run/systemd/nspawn/propagate/$name"
  ip netns delete "$name" 2>/dev/null || true
  claim=$(claim_of "$name")
  if [[ -n $claim ]]; then
    ip link delete "$VETH_PREFIX${claim##*.}" 2>/dev/null || true
    rm -f "$claim"
  fi
  remove_bridge_if_unused
}

cmd_sweep() {
  local names=() live=() file name
  mkdir -p "$CLAIMS" "$CACHE/servers"
  for file in "$CLAIMS"/*; do
    [[ -e $file ]] || continue
    name=$(claim_field "$file" name)
    if claim_live "$file"; then live+=("$name"); else [[ $name == "$PREFIX"* ]] && names+=("$name"); fi
  done
  while read -r name _; do [[ $name == "$PREFIX"* ]] && names+=("$name"); done < <(ip netns list)
  for file in "$CACHE"/servers/"$PREFIX"*; do
    [[ -e $file ]] && { name=${file##*/}; names+=("${name%.console}"); }
  done
  while read -r h; do
    for file in "$h"/"$PREFIX"*; do [[ -d $file ]] && names+=("${file##*/}"); done
  done < <(cgroup_hierarchies)
  for file in /proc/[0-9]*/cmdline; do
    name=$(tr '\0' '\n' 2>/dev/null < "$file" | sed -n "s/^--machine=\($PREFIX.*\)/\1/p") || true
    [[ -n $name ]] && names+=("$name")
  done
  for name in $(printf '%s\n' "${names[@]}" | sort -u); do
    printf '%s\n' "${live[@]}" | grep -qx -- "$name" && continue
    log "sweeping leftover server $name"
    teardown "$name"
  done
  for file in "$CLAIMS"/*; do
    [[ -e $file ]] && ! claim_live "$file" && rm -f "$file"
  done
  remove_bridge_if_unused
}

cmd_boot() {
  local suffix=${1:?usage: pristine.sh boot NAME}
  [[ $suffix =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "server name must match [a-z0-9][a-z0-9-]{0,30}: $suffix"
  local name=$PREFIX$suffix rootfs n address claim="" veth root
  rootfs=$(cmd_image)
  cmd_sweep
  [[ -z $(claim_of "$name") ]] || die "server $name exists already"
  mkdir -p "$CLAIMS" "$CACHE/servers"
  for ((n = 2; n <= 254; n++)); do
    if create_claim "$CLAIMS/$SUBNET_PREFIX$n" "$name" $$; then claim=$CLAIMS/$SUBNET_PREFIX$n; break; fi
  done
  [[ -n $claim ]] || die "all test addresses are claimed"
  address=$SUBNET_PREFIX$n
  veth=$VETH_PREFIX$n
  BOOTING=$name
  trap 'teardown "$BOOTING"' EXIT # a failed boot leaves nothing behind
  ensure_bridge
  ip netns add "$name"
  ip link add "$veth" type veth peer name eth0 netns "$name"
  ip link set "$veth" master "$BRIDGE" up
  ip -n "$name" addr add "$address/24" dev eth0
  ip -n "$name" link set eth0 up
  ip -n "$name" link set lo up
  root=$CACHE/servers/$name
  cp -a --reflink=auto "$rootfs" "$root"
  echo "$name" > "$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n%s pulley-host\n::1 localhost ip6-localhost ip6-loopback\n' \
    "$name" "$HOST_ADDRESS" > "$root/etc/hosts"
  tr -d '-' < /proc/sys/kernel/random/uuid > "$root/etc/machine-id"
  local cgroups=() proxy_cgroups=()
  while read -r h; do cgroups+=("$h/$name"); proxy_cgroups+=("$h/$name/apt-proxy"); done < <(cgroup_hierarchies)
  start_apt_proxy "$rootfs" "$root" "$name" "${proxy_cgroups[@]}"
  setsid sh -c "$CGROUP_WRAPPER" pulley-cgroup-wrapper "${cgroups[@]}" -- \
    systemd-nspawn --directory="$root" --machine="$name" --register=no --keep-unit --boot \
    --console=pipe --resolv-conf=off --network-namespace-path="/run/netns/$name" \
    --capability=CAP_NET_ADMIN \
    >> "$CACHE/servers/$name.console" 2>&1 < /dev/null &
  local nspawn=$!
  # The server lives as long as its nspawn: that process owns the claim from now on.
  replace_claim "$claim" "$name" "$nspawn"
  local init="" i
  for ((i = 0; i < 900; i++)); do
    kill -0 "$nspawn" 2>/dev/null || { cat "$CACHE/servers/$name.console" >&2; die "systemd-nspawn exited"; }
    init=$(pgrep -P "$nspawn" -x systemd || true)
    [[ -n $init ]] && break
    sleep 0.1
  done
  [[ -n $init ]] || die "server $name: no init after 90 s"
  local state=""
  for ((i = 0; i < 900; i++)); do
    state=$(timeout 90 nsenter -t "$init" -a systemctl is-system-running --wait 2>/dev/null || true)
    # Empty: systemd's private socket is not up yet (as in BootWait.java).
    [[ -n $state && $state != starting && $state != initializing ]] && break
    sleep 0.1
  done
  [[ $state == running || $state == degraded ]] || {
    nsenter -t "$init" -a journalctl --boot --no-pager --lines=50 >&2 || true
    die "server $name: system is '$state'"
  }
  trap - EXIT
  log "server $name booted ($state); stop it with: pristine.sh stop $suffix"
  echo "$address"
}

# ROOTFS ROOT NAME CGROUP...: starts the server's apt proxy in a child cgroup of the server's, so
# that teardown's cgroup kill ends it; waits until it has written the server's apt.conf snippet.
start_apt_proxy() {
  local rootfs=$1 root=$2 name=$3 i pid
  shift 3
  [[ -f $APT_PROXY_SOURCE ]] || die "apt proxy source missing: $APT_PROXY_SOURCE"
  command -v java > /dev/null || die "the apt proxy needs java (17+) on this machine"
  setsid sh -c "$CGROUP_WRAPPER" pulley-cgroup-wrapper "$@" -- \
    java "$APT_PROXY_SOURCE" "$rootfs" "$CACHE" "$HOST_ADDRESS" "$root/$APT_PROXY_CONF" \
    > "$CACHE/servers/$name.console" 2>&1 < /dev/null &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    [[ -f $root/$APT_PROXY_CONF ]] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$CACHE/servers/$name.console" >&2; die "apt proxy exited"; }
    sleep 0.1
  done
  die "apt proxy did not start within 60 s"
}

server_name() { echo "$PREFIX${1:?server NAME missing}"; }

cmd_exec() {
  local name
  name=$(server_name "${1:-}")
  shift
  [[ $# -gt 0 ]] || die "usage: pristine.sh exec NAME CMD..."
  exec nsenter -t "$(init_pid "$name")" -a -- "$@"
}

cmd_shell() {
  local name
  name=$(server_name "${1:-}")
  exec nsenter -t "$(init_pid "$name")" -a -- env -i TERM="${TERM:-dumb}" HOME=/root \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -l
}

cmd_stop() { teardown "$(server_name "${1:-}")"; }

cmd_list() {
  local file state
  for file in "$CLAIMS"/"$SUBNET_PREFIX"*; do
    [[ -e $file ]] || continue
    if claim_live "$file"; then state=running; else state=leftover; fi
    printf '%-30s %-16s owner %-8s %s\n' "$(claim_field "$file" name)" "${file##*/}" \
      "$(claim_field "$file" owner_pid)" "$state"
  done
}

[[ $(id -u) == 0 ]] || die "must run as root"
command=${1:-}
shift || true
case $command in
  image) cmd_image ;;
  key) key ;;
  boot) cmd_boot "$@" ;;
  exec) cmd_exec "$@" ;;
  shell) cmd_shell "$@" ;;
  stop) cmd_stop "$@" ;;
  list) cmd_list ;;
  sweep) cmd_sweep ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
