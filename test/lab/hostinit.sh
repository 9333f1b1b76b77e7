#!/bin/bash
# PID 1 of one lab "host". lab.ts starts it as
#   ip netns exec <netns> unshare --uts --mount --pid --fork --mount-proc --propagation private \
#      /bin/bash hostinit.sh <hostname> <host state dir>
# so it already sits in the host's network namespace and in fresh UTS, mount and PID namespaces.
# It swaps the daemon directories for the host's private copies, so every daemon and every ssh session
# on this host uses the usual paths (/etc/keepalived/keepalived.conf, /run/haproxy.pid, ...) without
# seeing the other hosts' files. Being PID 1, it also reaps the daemons' orphans; when lab.ts kills it,
# the kernel kills everything else in the host's PID namespace.
set -u
name=$1
root=$2

hostname "$name" || exit 1
# Required: without these the host would share files (pid files, configs) with the machine.
for d in run etc/haproxy etc/keepalived etc/ssh; do
  [ -d "/$d" ] || { echo "hostinit: /$d does not exist on this machine" >&2; exit 1; }
  mount -n --bind "$root/$d" "/$d" || exit 1 # -n: no utab entry, the machine's /run stays untouched
done
# Optional: corosync may not be installed; only hide its state when it is.
for d in etc/corosync var/lib/corosync var/log/corosync; do
  [ -d "/$d" ] && { mount -n --bind "$root/$d" "/$d" || exit 1; }
done
# A private, empty home: root's shell start-up files on this machine (e.g. a pyenv init in .bashrc) would
# otherwise run on every ssh command into every host, ~100 ms each, and they are not the host's anyway.
mkdir -p "$root/root" && chmod 700 "$root/root" && mount -n --bind "$root/root" /root || exit 1
# libqb (corosync) keeps ring buffers in /dev/shm; keep them per host too.
mount -n -t tmpfs -o size=64m,mode=1777 tmpfs /dev/shm || exit 1

touch /run/ready
trap 'exit 0' TERM INT
while :; do
  sleep 3600 &
  wait $!
done
