#!/bin/sh
# Builds the site: copies the sources into dist/ (a real front end runs its bundler here).
set -eu
rm -rf dist
mkdir -p dist
cp -R src/. dist/
