#!/usr/bin/env bash
# Creates the package.json / tsconfig.json / project.json of a workspace project.
# usage: tools/scaffold-project.sh <dir> <package-name> <nx-name> <tags-json> [reference-dir...]
set -euo pipefail
dir=$1; pkg=$2; name=$3; tags=$4; shift 4
mkdir -p "$dir/src"
rel=$(realpath --relative-to="$dir" .)
refs=""
for r in "$@"; do refs="$refs{ \"path\": \"$(realpath --relative-to="$dir" "$r")\" },"; done
refs="[${refs%,}]"
[ -f "$dir/package.json" ] || cat > "$dir/package.json" <<JSON
{
  "name": "$pkg",
  "version": "0.1.0",
  "private": true,
  "main": "dist/index.js",
  "types": "dist/index.d.ts",
  "exports": {
    ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" }
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$rel/tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": "dist/.tsbuildinfo" },
  "include": ["src/**/*.ts"],
  "references": $refs
}
JSON
type=library; case "$dir" in services/*) type=application;; esac
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$type",
  "tags": $tags
}
JSON
