"""The typed parameters the ``postfix`` binary itself reads (mail_params_init()).

Found by giving each numerical, time and boolean parameter of Postfix 3.7.11 a
bad value and running the real ``postfix``: only these stop it with a fatal
error; the others are read (and refused) by the daemons that use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

INTEGER = (
    "berkeley_db_create_buffer_size berkeley_db_read_buffer_size debug_peer_level "
    "default_process_limit delay_logging_resolution_limit deliver_lock_attempts dont_remove "
    "fault_injection_code fork_attempts hash_queue_depth header_address_token_limit "
    "header_size_limit line_length_limit lmdb_map_size max_use message_size_limit "
    "mime_boundary_length_limit mime_nesting_limit tcp_windowsize"
).split()
BOOLEAN = (
    "address_verify_negative_cache backwards_bounce_logfile_compatibility "
    "daemon_table_open_error_is_fatal disable_dns_lookups disable_mime_input_processing "
    "disable_mime_output_conversion dns_ncache_ttl_fix_enable enable_idna2003_compatibility "
    "enable_long_queue_ids enable_original_recipient helpful_warnings multi_instance_enable "
    "owner_request_special send_cyrus_sasl_authzid soft_bounce strict_7bit_headers "
    "strict_8bitmime strict_8bitmime_body strict_mime_encoding_domain strict_smtputf8"
).split()
TIME = (
    "application_event_drain_time daemon_timeout deliver_lock_delay fork_delay in_flow_delay "
    "ipc_idle ipc_timeout ipc_ttl max_idle stale_lock_time trigger_timeout"
).split()

# sscanf("%d%c") accepting exactly one conversion; conv_time()'s number and unit.
_INTEGER = re.compile(r"\s*[+-]?\d+")
_TIME = re.compile(r"\s*[+]?\d+[smhdw]?")


def first_bad_value(get: Callable[[str], str]) -> str | None:
    """The fatal text for the first typed value the ``postfix`` binary refuses, if any.

    ``get(name)`` returns the expanded value. Postfix reads the integer table,
    then the boolean one, then the time one (within each, our order is alphabetical).
    """
    for name in INTEGER:
        value = get(name)
        if not _INTEGER.fullmatch(value):
            return f"bad numerical configuration: {name} = {value}"
    for name in BOOLEAN:
        value = get(name)
        if value.lower() not in ("yes", "no"):
            return f"bad boolean configuration: {name} = {value}"
    for name in TIME:
        value = get(name)
        if not _TIME.fullmatch(value):
            return f"parameter {name}: bad time value or unit: {value}"
    return None
