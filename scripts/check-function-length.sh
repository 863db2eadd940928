#!/usr/bin/env bash
# Architecture Invariant: no function in crates/rules/src is 120 lines or longer, so that each legal condition is a
# function one can read. Counts from the line of `fn` to the closing brace at the same indentation.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=120
perl -e '
  my ($limit, @files) = @ARGV; my $bad = 0; my ($longest, $where) = (0, "");
  for my $file (@files) {
    open(my $fh, "<", $file) or die "$file: $!"; my @l = <$fh>; close $fh;
    for my $i (0 .. $#l) {
      next unless $l[$i] =~ /^(\s*)(?:pub(?:\([a-z]+\))? )?(?:const )?fn (\w+)/;
      my ($ind, $name) = ($1, $2); my $j = $i;
      $j++ while $j <= $#l && $l[$j] !~ /^\Q$ind\E\}\s*$/;
      my $n = $j - $i + 1;
      ($longest, $where) = ($n, "$file: $name") if $n > $longest;
      if ($n >= $limit) { print "$file: fn $name is $n lines (limit $limit)\n"; $bad = 1 }
    }
  }
  print "longest function: $where, $longest lines\n";
  exit $bad;
' "$limit" $(find crates/rules/src -name '*.rs' | sort)
