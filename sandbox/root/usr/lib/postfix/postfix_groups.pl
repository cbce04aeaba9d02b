#! /usr/bin/perl
# mailsim stub of /usr/lib/postfix/postfix_groups.pl (Debian ships a script here)
