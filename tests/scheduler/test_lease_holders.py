"""Who may be declared gone before their lease runs out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.services.lease import holder_is_dead, lease_holder_name


def test_a_previous_process_on_this_host_is_gone_at_once() -> None:
    me = lease_holder_name()
    host, pid, _token = me.split(":")
    assert int(pid) == os.getpid()
    assert holder_is_dead(f"{host}:{os.getpid()}:0000aaaa")  # our pid, an earlier process
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert holder_is_dead(f"{host}:{int(gone.stdout)}:0000bbbb")
    assert not holder_is_dead(f"{host}:{os.getppid()}:0000cccc")  # alive


def test_another_container_with_the_same_host_name_is_never_judged_by_its_pid() -> None:
    """Containers on host networking share the host name and are each pid 1: the one that
    holds the lease is another process although its pid is ours."""
    host, _pid, _token = lease_holder_name().split(":")
    assert host.startswith(socket.gethostname() + "~")
    other_namespace = f"{socket.gethostname()}~1"
    assert other_namespace != host
    assert not holder_is_dead(f"{other_namespace}:{os.getpid()}:0000dddd")
    assert not holder_is_dead(f"{other_namespace}:999999:0000eeee")
    assert not holder_is_dead(f"{socket.gethostname()}:{os.getpid()}:0000ffff")  # older form
    assert not holder_is_dead(f"elsewhere~{host.split('~')[1]}:{os.getpid()}:0000abcd")
