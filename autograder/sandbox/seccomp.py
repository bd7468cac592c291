"""A seccomp filter for bubblewrap's --seccomp: no AF_UNIX or AF_VSOCK sockets, no foreign syscall ABIs.

The allow-list root already leaves no host socket file to connect to, and the network namespace no
abstract socket; this filter closes the kind of hole those guarantees would leave if a mount slipped
in (a docker.sock, a D-Bus socket, a hypervisor's vsock). socketpair() stays allowed: it reaches
nothing outside the worker.
"""
import os
import platform
import struct

# (AUDIT_ARCH, socket syscall number) per machine; elsewhere no filter is installed and the report says so.
ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
AF_UNIX, AF_VSOCK = 1, 40
X32_SYSCALL_BIT = 0x40000000
LD_ABS_W, JEQ_K, JGE_K, RET_K = 0x20, 0x15, 0x35, 0x06
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, EACCES = 0x7FFF0000, 0x00050000, 13
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16


def _instruction(code, k, jump_true=0, jump_false=0):
    return struct.pack("<HBBI", code, jump_true, jump_false, k)


def socket_filter():
    """The compiled BPF program (bytes) for this machine, or None where it has no entry in ARCHES."""
    arch = ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit_arch, socket_nr = arch
    deny, allow = RET_K, RET_K
    program = [
        _instruction(LD_ABS_W, OFFSET_ARCH),
        _instruction(JEQ_K, audit_arch, 1, 0),           # a foreign ABI (32-bit calls): refused below
        _instruction(deny, SECCOMP_RET_ERRNO | EACCES),
        _instruction(LD_ABS_W, OFFSET_NR),
        _instruction(JGE_K, X32_SYSCALL_BIT, 0, 1),     # x32 calls on x86_64: refused
        _instruction(deny, SECCOMP_RET_ERRNO | EACCES),
        _instruction(JEQ_K, socket_nr, 0, 3),
        _instruction(LD_ABS_W, OFFSET_ARG0),
        _instruction(JEQ_K, AF_UNIX, 2, 0),
        _instruction(JEQ_K, AF_VSOCK, 1, 0),
        _instruction(allow, SECCOMP_RET_ALLOW),
        _instruction(deny, SECCOMP_RET_ERRNO | EACCES),
    ]
    return b"".join(program)


def filter_fd():
    """A readable descriptor holding the program (for `bwrap --seccomp FD`), or None without a filter."""
    program = socket_filter()
    if program is None:
        return None
    read_end, write_end = os.pipe()
    os.write(write_end, program)
    os.close(write_end)
    return read_end
