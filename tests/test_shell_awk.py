"""Transcripts of awk against mawk 1.3.4 (Debian 12's awk): mail-admin one-liners and the language.

Each line runs in the simulated shell and, when mawk is installed, under the host's
bash; tests/data/shell_awk/awk.json holds the recording for hosts without it
(``MAILSIM_RECORD=1 pytest tests/test_shell_awk.py -k record`` rewrites it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_shell_text import (
    _bytes,
    _text,
    run_real,
    run_sim,
    shared_machine,  # noqa: F401 - the fixture
)

from mailsim.machine.machine import Machine

DATA = Path(__file__).parent / "data" / "shell_awk" / "awk.json"

LINES: list[str] = [
    "awk '{print $1}' passwd",
    "awk -F: '$3>=1000{print $1}' passwd",
    "awk -F: '{print $1, $NF}' passwd",
    "awk -F: -v OFS=: '{print $1,$3}' passwd",
    'awk -F: \'BEGIN{OFS="\\t"} {$2=""; print}\' passwd',
    "awk -F: '$7 ~ /nologin$/ {n++} END{print n+0}' passwd",
    "awk -F: '$1 == \"root\"' passwd",
    "awk -F: 'NR==2, NR==4 {print NR, $1}' passwd",
    "awk -F: '/^daemon/,/^alice/' passwd",
    "awk -F':' '{sum += $3} END {print sum, sum/NR}' passwd",
    "awk -F: '{ printf \"%-10s %5d %s\\n\", $1, $3, $6 }' passwd",
    "awk -F: 'length($1) > 4' passwd",
    "awk -F: '{print length()}' passwd",
    "awk -F: '{print toupper(substr($1,1,1)) substr($1,2)}' passwd",
    'awk -F: \'$5 != ""{split($5, g, ","); print g[1]}\' passwd',
    "awk 'END{print NR}' passwd",
    "awk -F: '{a[$7]++} END{for (s in a) print s, a[s] | \"sort\"}' passwd",
    "awk -F: '{a[$7]++} END{n=0; for (s in a) n++; print n}' passwd",
    "awk -F: -v min=100 '$3 >= min {print $1}' passwd",
    'awk -F: \'{print $1 > "users.out"} END{close("users.out"); while ((getline l < "users.out") > 0) print "got", l}\' passwd',
    "awk -F '[:/]' '{print $1, $NF}' passwd",
    "awk -F: '{ $3 = $3 * 2; print }' passwd",
    "awk -F: '{ $3 = $3 * 2 } 1' OFS=- passwd",
    "awk '{print $7}' mail.log",
    "grep status=sent mail.log | awk '{print $7}' | sort | uniq -c",
    "awk '/status=sent/ {print $7}' mail.log",
    "awk '$5 ~ /^postfix\\/smtpd/ {c++} END {print c}' mail.log",
    "awk '{print $5}' mail.log | sort | uniq -c | sort -rn",
    "awk '{split($5, p, \"[\"); print p[1]}' mail.log",
    "awk 'match($0, /to=<[^>]*>/) {print substr($0, RSTART+4, RLENGTH-5)}' mail.log",
    "awk 'match($0, /\\[[0-9.]+\\]/) {print RSTART, RLENGTH, substr($0, RSTART, RLENGTH)}' mail.log",
    "awk '{ sub(/^[A-Z][a-z][a-z] [0-9]+ /, \"\"); print }' mail.log",
    "awk '{ n = gsub(/[0-9]/, \"#\"); print n, $0 }' mail.log",
    "awk '{ gsub(/postfix\\//, \"\"); print $5 }' mail.log",
    "awk -F': ' '{print $NF}' mail.log",
    "awk '{print $1, $2, $3}' OFS=/ mail.log",
    "awk '$3 > \"08:30:13\"' mail.log",
    "awk 'NR % 2' mail.log",
    "awk 'NR > 1 {print prev} {prev = $0} END {print \"last:\", prev}' mail.log",
    "awk '{ print NF }' mail.log",
    "awk '{ $1 = $1; print }' mail.log",
    "awk '{ NF = 3; print }' mail.log",
    "awk '{ print $(NF-1) }' mail.log",
    "awk '/SASL/ { for (i = 1; i <= NF; i++) if ($i ~ /^unknown/) print $i }' mail.log",
    "awk 'BEGIN { while ((getline line < \"mail.log\") > 0) n++; print n }'",
    'awk \'BEGIN { getline; print "first:", $0; getline x; print "second:", x, NR }\' mail.log',
    "awk '{ getline; print }' mail.log",
    "awk -F' = ' '{print $1}' main.cf",
    "awk -F' = ' '/^my/ {print $2}' main.cf",
    "awk '!/^#/ && NF' main.cf",
    "awk -F= '{gsub(/ /, \"\", $1); print $1}' main.cf",
    "awk -F' *= *' 'NF==2 {printf \"%s=%s\\n\", $1, $2}' main.cf",
    'awk \'BEGIN{FS=" = "} $1=="myhostname"{print $2; exit}\' main.cf',
    'awk \'/^smtpd_tls/ {print FILENAME ":" FNR ": " $0}\' main.cf',
    "awk 'FNR==1 {print FILENAME} END {print NR}' a.txt passwd",
    "awk '{print FILENAME, FNR, NR}' a.txt a.txt",
    "awk '{print v, $0}' v=1 a.txt v=2 a.txt",
    "printf 'A1B2C3D4E5*   1234 Wed Nov 25 08:30:12  root@mail\\n                                         alice@example.org\\n\\nB2C3D4E5F6    2345 Wed Nov 25 08:31:00  bob@mail\\n    (connect to example.net[192.0.2.1]:25: Connection refused)\\n                                         carol@example.net\\n\\n-- 3 Kbytes in 2 Requests.\\n' | awk 'BEGIN{RS=\"\"} /^[A-F0-9]/ {print $1, NF}'",
    'printf \'a b\\nc d\\n\\n\\n\\ne f\\ng\\n\\n\' | awk \'BEGIN{RS=""} {print NR": "$1"|"$NF"|"NF}\'',
    "printf 'a b\\nc d\\n\\ne f\\n' | awk 'BEGIN{RS=\"\"; FS=\":\"} {print NF; print $1}'",
    "printf 'one;two;three' | awk 'BEGIN{RS=\";\"} {print NR, $0}'",
    "printf 'x1y22z333w\\n' | awk 'BEGIN{RS=\"[0-9]+\"} {print NR\": \"$0}'",
    "awk 'BEGIN { print length(\"hello\"), length(12345), length(1/3) }'",
    'awk \'BEGIN { print substr("hello", 2, 3), substr("hello", 0), substr("hello", -1, 3), substr("hello", 4, 100), substr("hello", 1.5, 2.3) }\'',
    'awk \'BEGIN { print index("foobar", "bar"), index("foobar", "x"), index("abc", "") }\'',
    'awk \'BEGIN { n = split("a:b:c", arr, ":"); print n, arr[1], arr[3]; n = split("", arr); print n, length(arr) }\'',
    'awk \'BEGIN { n = split("  a  b  ", arr); print n, "[" arr[1] "]", "[" arr[2] "]" }\'',
    "awk 'BEGIN { n = split(\"a1b22c\", arr, /[0-9]+/); print n, arr[1], arr[2], arr[3] }'",
    'awk \'BEGIN { s = "hello world"; sub(/o/, "0", s); print s; gsub(/o/, "[&]", s); print s; gsub(/l/, "\\\\&", s); print s }\'',
    'awk \'BEGIN { s = "aaa"; print gsub(/x*/, "-", s), s }\'',
    'awk \'BEGIN { s = "hello"; gsub(//, "-", s); print s }\'',
    'awk \'BEGIN { s = "abc"; gsub("", "-", s); print s }\'',
    'awk \'BEGIN { s = "path/to/file"; gsub("/", "\\\\", s); print s }\'',
    'awk \'BEGIN { print match("foobar", /o+/), RSTART, RLENGTH; print match("foobar", /z/), RSTART, RLENGTH }\'',
    'awk \'BEGIN { print toupper("abc Def"), tolower("ABC dEf 123") }\'',
    'awk \'BEGIN { print int(3.9), int(-3.9), int("4.5abc"), int("x") }\'',
    "awk 'BEGIN { printf \"%.4f %.4f %.4f %.4f\\n\", sqrt(2), exp(1), log(10), atan2(1, 1) * 4 }'",
    "awk 'BEGIN { printf \"%.3f %.3f\\n\", sin(1), cos(1) }'",
    'awk \'BEGIN { x = sprintf("%05.1f|%-6s|%6s|%c", 3.14159, "ab", "cd", 65); print x }\'',
    'awk \'BEGIN { printf "%d %i %o %x %X %u %c %s %e %E %f %g %G %%\\n", 42.9, -42.9, 8, 255, 255, 7, "hi", "str", 1234.5, 0.00012, 2.5, 1e-5, 1e20 }\'',
    "awk 'BEGIN { printf \"%5.2f|%-8.3e|%+d|% d|%08.3f|%-5d|\\n\", 3.14159, 31415.9, 5, 5, -3.14159, 42 }'",
    "awk 'BEGIN { printf \"%*d|%-*d|%.*f\\n\", 5, 42, 4, 7, 2, 3.14159 }'",
    "awk 'BEGIN { printf \"%s %s %s\\n\", 1e6, 1e16, 123456789012 }'",
    "awk 'BEGIN { printf \"%d %d %x %u\\n\", 3000000000, -3000000000, 5000000000, -1 }'",
    'awk \'BEGIN { printf "%c%c%c\\n", 72, "ello", 256 + 33 }\'',
    'awk \'BEGIN { printf "%#o %#x %.3s|%10.4s|\\n", 8, 255, "abcdef", "abcdef" }\'',
    "awk 'BEGIN { printf \"no newline\" }'",
    "awk 'BEGIN { printf \"%d\\n\" }'",
    "awk 'BEGIN { printf \"%z\\n\", 1 }'",
    "awk 'BEGIN { print 1e6, 1e17, 100000000, 2^31-1, 2^31, -2^31, 2^53, 0.1+0.2, 1/3, -0 }'",
    'awk \'BEGIN { OFMT = "%.2f"; x = 3.14159; print x, x "", 10, 1e3 }\'',
    'awk \'BEGIN { CONVFMT = "%.2g"; x = 3.14159; y = x ""; print y; a[x] = 1; for (k in a) print k }\'',
    'awk \'BEGIN { print 1 == 1.0, "1" == 1, "a" < "b", "10" < "9", 10 < 9, "abc" < "abd" }\'',
    "echo '10 9' | awk '{ print ($1 < $2), ($1 > $2), ($1 \"\" < $2 \"\") }'",
    "echo '1e2 100 0x10 +5 .5' | awk '{ print ($1 == $2), ($3 == 16), $4 + 0, $5 * 2 }'",
    "echo ' 12 ' | awk '{ print ($0 == 12), ($0 < 2) }'",
    'awk \'BEGIN { x; print (x == 0), (x == ""), length(x), x + 0, "[" x "]" }\'',
    "awk 'BEGIN { print 2^3^2, -2^2, 2**3, 10 % 3, -10 % 3, 10.5 % 3, 7 / 2 }'",
    "awk 'BEGIN { x = 5; x += 3; print x; x -= 1; print x; x *= 2; print x; x /= 4; print x; x %= 3; print x; x ^= 3; print x }'",
    "awk 'BEGIN { x = 1; print x++, x, ++x, x--, --x, -x, !x, !!x }'",
    'awk \'BEGIN { a = 1; b = 2; print a " " b, a b, a+b "", a - -b }\'',
    "awk 'BEGIN { print 1 - 1, 1 \" \" -1, 2 -1 }'",
    'awk \'BEGIN { print (1 < 2) ? "yes" : "no", 0 ? "a" : 1 ? "b" : "c" }\'',
    'awk \'BEGIN { print 1 && 0, 1 || 0, !0, 0 || "", "0" && 1, "a" && 1 }\'',
    'awk \'BEGIN { if (!(3 in a)) print "no"; a[3]; if (3 in a) print "yes"; delete a[3]; print length(a) }\'',
    'awk \'BEGIN { a[1,2] = "x"; for (k in a) { split(k, p, SUBSEP); print p[1], p[2] }; if ((1,2) in a) print "in" }\'',
    'awk \'BEGIN { a["x"]=1; a["y"]=2; delete a; print length(a) }\'',
    "awk 'BEGIN { for (i = 0; i < 5; i++) s = s i; print s }'",
    "awk 'BEGIN { i = 0; while (i < 3) { print i; i++ } }'",
    "awk 'BEGIN { i = 5; do { print i; i-- } while (i > 3) }'",
    "awk 'BEGIN { for (i = 0; ; i++) { if (i == 3) break; if (i == 1) continue; print i } }'",
    "awk 'BEGIN { for (;;) { n++; if (n > 4) break }; print n }'",
    'awk \'BEGIN { x = 3; if (x > 2) print "big"; else print "small" }\'',
    'awk \'BEGIN { if (0) print "a"; else if (1) print "b"; else print "c" }\'',
    "awk 'NR == 1 { next } { print }' a.txt",
    "awk '{ print; if (NR == 2) exit }' a.txt",
    "awk 'BEGIN { exit 3 } END { print \"end\" }'; echo $?",
    "awk '{ exit 4 } END { print \"end\", NR; exit }' a.txt; echo $?",
    "awk 'END { print $0, NF }' a.txt",
    "awk 'function f(x) { return x * 2 } BEGIN { print f(21) }'",
    "awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10), fact(20) }'",
    "awk 'function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i } BEGIN { fill(sq, 5); print sq[3], length(sq) }'",
    "awk 'function loc(a,   t) { t = a + 1; return t } BEGIN { t = 100; print loc(1), t }'",
    'awk \'function noret(x) { x = 5 } BEGIN { y = 1; noret(y); print y, "[" noret(1) "]" }\'',
    "awk 'function max(a, b) { return a > b ? a : b } { m = max(m, length($0)) } END { print m }' passwd",
    'awk \'function join(a, n, sep,   s, i) { s = a[1]; for (i = 2; i <= n; i++) s = s sep a[i]; return s } BEGIN { n = split("c b a", x); print join(x, n, "-") }\'',
    'awk \'function g(a) { a["k"] = 1 } function f(b) { g(b) } BEGIN { f(arr); print arr["k"] }\'',
    'awk \'BEGIN { "echo hi there" | getline d; print d; "echo a; echo b" | getline; print $0, NR }\'',
    'awk \'BEGIN { cmd = "sort -r"; print "a" | cmd; print "b" | cmd; close(cmd); print "after" }\'',
    'awk \'BEGIN { r = system("exit 3"); print "status", r }\'',
    'awk \'BEGIN { printf "x"; system("echo y"); print "z" }\'',
    "awk 'BEGIN { system(\"true\") }'",
    'awk \'BEGIN { print "x" | "cat" }\'',
    'awk \'BEGIN { print "to stderr" > "/dev/stderr"; print "to stdout" > "/dev/stdout" }\'',
    'awk \'BEGIN { print "a" > "out.txt"; print "b" > "out.txt"; close("out.txt"); print "c" >> "out.txt"; close("out.txt"); while ((getline l < "out.txt") > 0) print "r", l }\'',
    'awk \'BEGIN { print "x" > "/nonexist/a" }\'',
    "awk 'BEGIN { print (getline l < \"nosuch\") }'",
    "awk 'BEGIN { print close(\"never-opened\") }'",
    "awk '{print}' nosuch",
    "awk '{print}' a.txt nosuch",
    "awk '{print}' d",
    "awk '{'",
    "awk 'BEGIN{x=}'",
    "awk 'BEGIN{print 1}}'",
    "awk 'BEGIN{ print \"abc }'",
    "awk 'BEGIN{print /abc}'",
    "awk 'function f(a){ return a } BEGIN{print f(1}'",
    "awk 'BEGIN{x[\"a\"]=1; x=2}'",
    "awk 'BEGIN{print substr(\"abc\")}'",
    "awk 'BEGIN{print length \"x\"}'",
    'awk \'BEGIN { print "0x1A"+0, "1e3x"+0, " 12 "+0, ".5"+0, "+3"+0 }\'',
    'awk \'BEGIN { x = "a"; if (x ~ "(") print 1 }\'',
    "awk 'BEGIN { print 1/0 }'",
    "awk 'BEGIN { print 1%0 }'",
    "awk 'BEGIN { print -1/0, log(0), exp(1000) }'",
    "awk 'BEGIN { print 2^1024, -2^1024 }'",
    "awk",
    "awk -f nosuch",
    "awk -v 'x' 'BEGIN{print x}'",
    "awk -W version | head -n1",
    "awk -v 'msg=a\\tb' 'BEGIN { print msg }'",
    "awk -F '\\t' '{print $2}' s.txt",
    "awk -F, 'BEGIN { print FS }'",
    "awk -F '' '{print $1, NF}' a.txt",
    "awk -F 'l+' '{print $1 \"|\" $2}' a.txt",
    "awk -F . '{print NF}' main.cf",
    "awk '{ print $0 ~ \"^h\", /world/, !/world/ }' a.txt",
    "awk '$0 ~ /^[[:upper:]]/' a.txt",
    "awk '/a{2}/' a.txt",
    "echo 'aa a{2} abc' | awk '{print match($0, /a{2}/), RSTART}'",
    "echo 'a.b.c' | awk -F. '{print $2; $2 = \"X\"; print; print NF}'",
    "echo 'a b c' | awk '{ $5 = \"e\"; print; print NF }'",
    "echo 'a b c d' | awk '{ NF = 2; print; NF = 4; print; print NF }'",
    "echo 'a b c' | awk '{ $0 = \"x y\"; print $1, NF }'",
    "echo 'a b c' | awk '{ $2 = \"\"; print; print NF }'",
    'echo \'  lead  trail  \' | awk \'{ print NF, "[" $1 "]"; $1 = $1; print "[" $0 "]" }\'',
    "echo 'x' | awk '{ print 1 !x }'",
    "echo '3 4' | awk '{ print $1 * $2, $1 $2, $1 - $2 }'",
    "echo '5' | awk '{ $1++; print; print $1++ + ++$1, $1 }'",
    "echo 'hello' | awk '{ print length }'",
    "echo 'A;B' | awk 'BEGIN { FS = \";\" } { print $2 }'",
    "echo 'a:b c:d' | awk '{ FS = \":\"; print $1 } '",
    "printf 'a:b\\nc:d\\n' | awk '{ FS = \":\"; print $1 }'",
    "printf 'l1\\nl2\\nl3\\n' | awk 'NR==1, NR==2 { print \"range\", $0 } /l3/, /nomatch/ { print \"open\", $0 }'",
    "printf 'b\\na\\nc\\n' | awk '{ lines[NR] = $0 } END { for (i = NR; i > 0; i--) print lines[i] }'",
    "printf '1\\n2\\n3\\n' | awk '{ s += $1 } END { print s, s / NR }'",
    'printf \'x 1\\ny 2\\nx 3\\n\' | awk \'{ t[$1] += $2 } END { print t["x"], t["y"], t["z"] + 0 }\'',
    'printf \'one\\n\' | awk \'{ print > "f1.txt" } END { while ((getline line < "f1.txt") > 0) print "back:", line }\'',
    "printf 'r1\\nr2\\nr3\\n' | awk 'NR == 1 { while ((getline nxt) > 0) print \"read\", nxt, NR }'",
    "printf 'p\\nq\\n' | awk '{ print NR; getline; print \"after\", $0, NR }'",
    "printf 'a\\n' | awk 'BEGIN { ORS = \"|\" } { print } END { printf \"\\n\" }'",
    "printf 'a b\\n' | awk 'BEGIN { OFS = \"-\" } { print $1, $2; $1 = $1; print }'",
    "printf 'x\\n' | awk '{ printf \"%s %s %s\\n\", NR, NF, FILENAME }'",
    "printf 'k=v\\n' | awk -F= -v OFS=' => ' '{ print $1, $2 }'",
    "awk 'BEGIN { printf \"%s\\n\", ARGV[1]; print ARGC }' hello world",
    "awk 'BEGIN { print ENVIRON[\"HOME\"] }'",
    "awk 'BEGIN { print length(ENVIRON) > 0 }'",
    "awk 'BEGIN { srand(1); x = rand(); print (x >= 0 && x < 1) }'",
    "awk 'BEGIN { srand(5); print srand(7), rand() }'",
    "awk 'BEGIN { srand(1); print rand(), rand(); srand(42); printf \"%d\\n\", rand() * 100 }'",
    "awk 'BEGIN { s = sprintf(\"%s\", 0.1 + 0.2); print s, 0.1 + 0.2 == 0.3 }'",
    'awk \'BEGIN { x = "3.0"; y = 3; print (x == y), (x "" == y "") }\'',
    'awk \'BEGIN { a["1"] = "one"; print a[1], a[1.0], a["01"] "." }\'',
    "awk 'BEGIN { n = split(\"3 1 2\", v); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }; print v[1] v[2] v[3] }'",
    "awk 'BEGIN { s = \"x\"; while (length(s) < 10) s = s s; print length(s) }'",
    'awk \'BEGIN { print substr("hello", 2) substr("world", 1, 1) }\'',
    "awk '# comment only\nBEGIN { print \"after comment\" } # trailing\n'",
    "awk 'BEGIN {\n  x = 1 +\n    2\n  print x\n}'",
    'awk \'BEGIN { print "a" \\\n  "b" }\'',
    'awk \'BEGIN { print "tab\\there", "nl\\\\n", "quote\\"", "oct\\101" }\'',
    'awk \'BEGIN { print "a\\/b", "\\q" }\'',
    'awk \'BEGIN { if ("abc" ~ /^a.c$/) print "ok"; if ("a+c" ~ /a\\+c/) print "plus"; if ("a/b" ~ /a\\/b/) print "slash" }\'',
    'awk \'BEGIN { r = "^[0-9]+$"; print ("123" ~ r), ("12a" ~ r) }\'',
    'awk \'BEGIN { print "a" > "sub/dir/x" }\'',
    "printf 'BEGIN { FS = \":\" }\\n$3 < 100 { print $1 }\\n' > prog.awk; awk -f prog.awk passwd",
    'awk \'BEGIN { getline line < "passwd"; print line; close("passwd"); getline line < "passwd"; print line }\'',
    'awk \'BEGIN { x["a"]; delete x["a"]; for (k in x) print "left", k; print "done" }\'',
    "awk 'BEGIN { print index(12345, 34), length(0.5), substr(123456, 2, 3) + 1 }'",
    "awk 'BEGIN { print -3 % 2, 3 % -2, int(-0.5), 1e300 * 1e300 }'",
    "awk 'BEGIN { x = 010; print x, \"010\" + 0 }'",
    "awk 'BEGIN { print 1==1 }'",
    "awk 'BEGIN { print (1,2) in a }'",
    'awk \'BEGIN { $0 = "a b c"; print NF, $2; $3 = "z"; print }\'',
    'awk \'BEGIN { NF = 3; print "[" $0 "]" }\'',
    "awk 'BEGIN { print length() }' < a.txt",
    "awk 'BEGIN { while ((getline line) > 0) n++; print n, NR }' a.txt",
    "awk 'END { while ((getline line < FILENAME) > 0) n++; print n }' a.txt",
    "awk '{ print $NF }' empty.txt; echo $?",
    'awk \'BEGIN { getline x < "d"; print "r" }\'',
    "awk '{ print NR \": \" $0 }' noeol.txt",
    "awk '1' utf8.txt",
    "awk '{ print length($1) }' utf8.txt",
    "awk '{ print toupper($0) }' utf8.txt",
    "awk '{ print substr($0, 1, 4) }' utf8.txt",
]


def _cases() -> list[dict[str, object]]:
    if not DATA.exists():
        return []
    return json.loads(DATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _mawk_missing() -> bool:
    return shutil.which("mawk") is None or shutil.which("bash") is None


@pytest.mark.parametrize("case", _cases(), ids=lambda c: str(c["line"]))
def test_awk_matches_recording(shared_machine: Machine, case: dict[str, object]) -> None:  # noqa: F811
    got = run_sim(shared_machine, str(case["line"]))
    want = (_bytes(str(case["stdout"])), _bytes(str(case["stderr"])), case["status"])
    assert got == want, case["line"]


@pytest.mark.skipif(_mawk_missing(), reason="mawk not installed")
@pytest.mark.parametrize("line", LINES)
def test_awk_matches_real_mawk(shared_machine: Machine, line: str) -> None:  # noqa: F811
    assert run_sim(shared_machine, line) == run_real(line), line


def test_recording_covers_every_line() -> None:
    assert [c["line"] for c in _cases()] == LINES


def test_corpus_is_large_enough() -> None:
    assert len(LINES) >= 150


@pytest.mark.skipif(os.environ.get("MAILSIM_RECORD") != "1", reason="recording on demand")
def test_record_awk() -> None:
    cases = []
    for line in LINES:
        out, err, status = run_real(line)
        cases.append({"line": line, "stdout": _text(out), "stderr": _text(err), "status": status})
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(json.dumps(cases, indent=1) + "\n", encoding="utf-8")
