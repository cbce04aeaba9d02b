#! /bin/sh -e
# mailsim stub of /usr/lib/postfix/configure-instance.sh (Debian ships a script here)
