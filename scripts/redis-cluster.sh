#!/usr/bin/env bash
# A local Redis Cluster for the Redis index back end's tests, benchmarks and docs (docs/scale-out.md).
#   redis-cluster.sh start DIR [PORT_BASE] [MASTERS]   MASTERS masters (default 3) and as many replicas on
#                                                       127.0.0.1 PORT_BASE.. (default 7000); prints the address
#   redis-cluster.sh stop DIR                           ends exactly the servers started in DIR (pid files)
#   redis-cluster.sh kill DIR PORT                      SIGKILLs the server on PORT (a failover test)
#   redis-cluster.sh revive DIR PORT                    restarts it; it rejoins the cluster as a replica
#   redis-cluster.sh masters DIR                        the ports of the current masters, one a line
# Installs Debian's redis-server when missing (waiting for the apt lock rather than failing). Every server runs
# with cluster-node-timeout 5000, so a killed master is replaced by its replica in about 6 to 9 seconds.
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT_BASE] [MASTERS] | stop DIR | kill DIR PORT | revive DIR PORT | masters DIR" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
cmd=$1 dir=$2

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return
  echo "redis-cluster: installing redis-server" >&2
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  local attempt
  for attempt in 1 2 3 4 5 6; do
    if "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null; then break; fi
    [[ $attempt -lt 6 ]] || { echo "redis-cluster: apt-get update failed" >&2; exit 1; }
    sleep 10
  done
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -q redis-server >/dev/null
  # The package's own service is not needed (and would hold port 6379).
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then "${sudo[@]}" systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
}

# Starts (or restarts) the server of PORT in DIR/PORT with its config file; the pid file is the server's own.
start_node() {
  local port=$1 nodedir="$dir/$1"
  mkdir -p "$nodedir"
  if [[ ! -f "$nodedir/redis.conf" ]]; then
    cat > "$nodedir/redis.conf" <<CONF
port $port
bind 127.0.0.1
protected-mode no
dir $nodedir
daemonize yes
pidfile $nodedir/redis.pid
logfile $nodedir/redis.log
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 5000
cluster-require-full-coverage yes
appendonly no
save ""
# Posting buckets hold many small fields: keep them in the compact encoding (docs/scale-out.md).
hash-max-listpack-entries 1024
hash-max-listpack-value 256
CONF
  fi
  redis-server "$nodedir/redis.conf"
  local i
  for i in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "redis-cluster: the server on port $port did not start (see $nodedir/redis.log)" >&2
  exit 1
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

case "$cmd" in
  start)
    base=${3:-7000} masters=${4:-3}
    nodes=$((masters * 2))
    install_redis
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    for ((p = base; p < base + nodes; p++)); do
      pid_alive "$dir/$p/redis.pid" && { echo "redis-cluster: a server of $dir already runs on port $p; stop it first" >&2; exit 1; }
      rm -rf "$dir/$p"
    done
    addrs=()
    for ((p = base; p < base + nodes; p++)); do start_node "$p"; addrs+=("127.0.0.1:$p"); echo "$p" >> "$dir/ports"; done
    sort -u -o "$dir/ports" "$dir/ports"
    if [[ $masters -eq 1 ]]; then
      # redis-cli --cluster create wants 3 masters: one master and its replica are joined by hand.
      redis-cli -p "$base" cluster addslotsrange 0 16383 >/dev/null
      redis-cli -p $((base + 1)) cluster meet 127.0.0.1 "$base" >/dev/null
      sleep 1
      id=$(redis-cli -p "$base" cluster myid)
      for i in $(seq 1 50); do redis-cli -p $((base + 1)) cluster replicate "$id" >/dev/null 2>&1 && break; sleep 0.2; done
    else
      redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 \
        || { echo "redis-cluster: cluster create failed (see $dir/create.log)" >&2; exit 1; }
    fi
    # Ready when every node says the cluster is ok, every slot is served and every master has its replica.
    for i in $(seq 1 300); do
      ok=1
      for ((p = base; p < base + nodes; p++)); do
        info=$(redis-cli -p "$p" cluster info 2>/dev/null || true)
        grep -q "cluster_state:ok" <<<"$info" && grep -q "cluster_slots_ok:16384" <<<"$info" || { ok=0; break; }
      done
      if [[ $ok -eq 1 ]]; then
        # Every master has a replica in sync (a write can be acknowledged by WAIT).
        synced=0
        for ((p = base; p < base + nodes; p++)); do
          redis-cli -p "$p" info replication 2>/dev/null | grep -q "^slave0:.*state=online" && synced=$((synced + 1))
        done
        [[ $synced -ge $masters ]] && break
        ok=0
      fi
      sleep 0.2
    done
    [[ $ok -eq 1 ]] || { echo "redis-cluster: the cluster did not come up (see $dir/*/redis.log)" >&2; exit 1; }
    (IFS=,; echo "redis://${addrs[*]}")
    ;;
  stop)
    [[ -d "$dir" ]] || exit 0
    for pidfile in "$dir"/*/redis.pid; do
      [[ -f "$pidfile" ]] || continue
      pid=$(cat "$pidfile")
      # Only a redis-server of this directory: a pid reused by another process is left alone.
      if kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$pidfile"
    done
    ;;
  kill)
    [[ $# -eq 3 ]] || usage
    pidfile="$dir/$3/redis.pid"
    pid_alive "$pidfile" || { echo "redis-cluster: no server of $dir on port $3" >&2; exit 1; }
    kill -9 "$(cat "$pidfile")"
    rm -f "$pidfile"
    ;;
  revive)
    [[ $# -eq 3 ]] || usage
    [[ -f "$dir/$3/redis.conf" ]] || { echo "redis-cluster: no server of $dir on port $3" >&2; exit 1; }
    pid_alive "$dir/$3/redis.pid" || start_node "$3"
    ;;
  masters)
    for p in $(cat "$dir/ports"); do
      pid_alive "$dir/$p/redis.pid" || continue
      redis-cli -p "$p" role 2>/dev/null | head -1 | grep -q master && echo "$p"
    done
    ;;
  *) usage ;;
esac
