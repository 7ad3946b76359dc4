"""A private Tor network on 127.0.0.1 for tests and demos: Debian's tor and tor-gencert, three
authorities, two relays, onion host(s) serving given ed25519 keys, one client with a SocksPort."""

from oniondex.tornet.errors import ControlError, TorNetError, TorProcessError
from oniondex.tornet.keys import onion_for_seed, write_hs_keys
from oniondex.tornet.network import TorNet

__all__ = ["ControlError", "TorNet", "TorNetError", "TorProcessError", "onion_for_seed", "write_hs_keys"]
