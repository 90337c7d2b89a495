"""The real flows, one module per case type. Importing this package registers them."""

from netsign_console.workflow.flows import network_access  # noqa: F401
