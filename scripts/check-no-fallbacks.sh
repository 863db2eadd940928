#!/usr/bin/env bash
# Architecture Invariant: a parameter with no value on a date is an `unknown` check that names it, never a number of
# the rules' own. Fails when a statement in crates/rules/src both names a parameter ("area.name") and falls back
# to a literal or a default with `unwrap_or` in the same expression, or when a lookup's error arm yields a literal (`Err(_) => 3`, `Err(_) => (true, None)`).
set -euo pipefail
cd "$(dirname "$0")/.."
perl -0777 -ne '
  my $file = $ARGV;
  s{//[^\n]*}{}g;                                   # comments may quote the pattern
  for my $stmt (split /;/) {
    if ($stmt =~ /"[a-z_]+\.[a-z0-9_]+"[^{};]*?\.unwrap_or(?:_default\(\)|\(\s*(?:true|false|-?[0-9]+)\s*\))/) {
      (my $s = $stmt) =~ s/\s+/ /g; print "$file: fallback over a parameter lookup: $s\n"; $bad = 1;
    }
    if ($stmt =~ /Err\(_\)\s*=>\s*\(?\s*(?:true|false|-?\d+)\b/) {
      (my $s = $stmt) =~ s/\s+/ /g; print "$file: a literal in place of a missing parameter: $s\n"; $bad = 1;
    }
  }
  END { exit($bad ? 1 : 0) }
' $(find crates/rules/src -name '*.rs' | sort)
echo "no fallback literal over a parameter lookup in crates/rules/src"
