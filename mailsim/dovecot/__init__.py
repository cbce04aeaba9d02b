"""Dovecot 2.3: settings table, configuration model, doveconf, doveadm and the service."""
