#!/bin/sh
# Seeds for the pack_reader target: small real packs made by git, each
# behind the target's first byte (0x04: the pack as it stands, checksum
# recomputed; 0x0c: the same, indexed first). Written to corpus/, which is
# not committed.
set -eu
cd "$(dirname "$0")"
out=corpus/pack_reader
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git init -q "$tmp/r"
cd "$tmp/r"
git config user.email fuzz@example.org
git config user.name fuzz
for i in 1 2 3 4 5 6; do
    seq 1 $((i * 40)) > numbers.txt
    printf 'key = "value %s"\n' "$i" >> config.toml
    git add -A
    git commit -q -m "commit $i"
done
git tag -a -m tag v1
for window in 0 10; do
    git repack -q -a -d -f --depth=50 --window=$window
    for p in .git/objects/pack/*.pack; do
        for flag in 004 014; do
            { printf "\\$flag"; cat "$p"; } > "$OLDPWD/$out/git-window$window-$flag"
        done
    done
done
ls -l "$OLDPWD/$out"
