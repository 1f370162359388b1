#!/usr/bin/env bash
# tools/newcomer-walkthrough.sh CHECKOUT LOGDIR (as root): the README followed
# on a fresh Debian 12 with only a C toolchain and git, timed step by step,
# as issue 17 asks ("from clone to a first own scenario's comparison in
# five minutes"): clone, `make run`, the README's first scenario (the first
# ```yaml block), `init`, validate, explain, compare. Uses the base chroot
# that ../shared/tools/fresh-machine.sh builds.
set -u
src=$1; logs=$2; mkdir -p "$logs"
base=${FRESH_BASE:-/var/tmp/mrsim-fresh-base}
[ -x "$base/usr/bin/gcc" ] || { echo "no fresh Debian 12 base in $base: run ../shared/tools/fresh-machine.sh once first"; exit 1; }
root=$(mktemp -d /var/tmp/mrsim-walk.XXXXXX)
cp -a "$base/." "$root/"
t0=$(date +%s)
git clone -q "$src" "$root/root/mrsim" || exit 1
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
mount -t proc proc "$root/proc"; mount --rbind /dev "$root/dev"; mount --rbind /sys "$root/sys"
trap 'umount -R "$root/dev" "$root/sys" "$root/proc" 2>/dev/null; rm -rf "$root"' EXIT
step() {
  s=$(date +%s)
  chroot "$root" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm \
    sh -c "cd /root/mrsim && $1" >"$logs/$2.log" 2>&1; rc=$?
  echo "$2: exit $rc in $(( $(date +%s) - s )) s (t=$(( $(date +%s) - t0 )) s)"
}
step "make run" make-run
# The README's first scenario, as a reader copies it.
awk '/^```yaml/{f=1;next} /^```/{if(f)exit} f' "$root/root/mrsim/README.md" > "$root/root/mrsim/my.yaml"
step "build/mrsim init > init.yaml && build/mrsim validate init.yaml && build/mrsim run init.yaml -q -n 2" init
step "build/mrsim validate my.yaml" validate
step "build/mrsim explain my.yaml" explain
step "build/mrsim compare my.yaml" compare
echo "total: $(( $(date +%s) - t0 )) s"
