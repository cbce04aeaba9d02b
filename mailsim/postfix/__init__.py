"""Simulated Postfix: parameter table, main.cf/master.cf models and the postfix tools."""
