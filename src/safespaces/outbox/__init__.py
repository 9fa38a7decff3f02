"""Messages waiting to be sent, the gateways that send them and the worker."""
