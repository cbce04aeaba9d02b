#!/bin/sh
# mailsim stub of /usr/lib/dovecot/health-check.sh (Debian ships a script here)
