"""mailsim: practise Postfix and Dovecot administration on a simulated Debian host."""

__version__ = "0.1.0"
