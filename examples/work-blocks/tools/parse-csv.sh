#!/bin/sh
# parse-csv: reads a CSV file with a header line and prints one JSON object per data row.
#   parse-csv.sh naive|fixed FILE
# naive splits every line at each comma (the bug: a quoted field holding a comma is cut in two
# and the columns after it shift); fixed follows RFC 4180 quoting ("a, b" and "" inside quotes).
# Exit codes: 0 parsed, 2 the file cannot be read, 64 bad usage.
case "${1:-}" in
  naive | fixed) ;;
  *) echo "usage: parse-csv.sh naive|fixed FILE" >&2; exit 64 ;;
esac
[ -r "${2:-}" ] || { echo "parse-csv: cannot read ${2:-}" >&2; exit 2; }
awk -v parser="$1" '
  function split_naive(line,   n, i) {
    n = split(line, F, ",")
    for (i = 1; i <= n; i++) gsub(/^"|"$/, "", F[i])
    return n
  }
  function split_fixed(line,   n, i, c, field, quoted) {
    n = 0; field = ""; quoted = 0
    for (i = 1; i <= length(line); i++) {
      c = substr(line, i, 1)
      if (quoted) {
        if (c == "\"") {
          if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ } else quoted = 0
        } else field = field c
      } else if (c == "\"") quoted = 1
      else if (c == ",") { F[++n] = field; field = "" }
      else field = field c
    }
    F[++n] = field
    return n
  }
  function json(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
  {
    sub(/\r$/, "")
    n = parser == "fixed" ? split_fixed($0) : split_naive($0)
    if (NR == 1) { for (i = 1; i <= n; i++) H[i] = F[i]; cols = n; next }
    out = "{"
    for (i = 1; i <= cols; i++) out = out (i > 1 ? "," : "") json(H[i]) ":" json(F[i])
    print out "}"
  }
' "$2"
