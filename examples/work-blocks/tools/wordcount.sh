#!/bin/sh
# wordcount: counts the words of a file (or of stdin with "-").
# Exit codes: 0 counted, 2 the file cannot be read, 64 bad usage.
usage() { echo "usage: wordcount.sh FILE|-   print the number of words in FILE (- reads stdin)"; }
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") usage >&2; exit 64 ;;
  -) wc -w | tr -d ' '; exit 0 ;;
esac
[ -r "$1" ] || { echo "wordcount: cannot read $1" >&2; exit 2; }
wc -w < "$1" | tr -d ' '
