"""A seccomp filter for workers: the system calls a NumPy exercise never makes are refused.

A worker computes and answers through pipes it was given. It never needs a socket (socketpair() stays:
it reaches nothing outside the worker), a new namespace (a user namespace would hand it a full
capability set to mount with), io_uring (whose operations, socket creation among them, run past this
filter), mounts, keys, BPF, perf events, ptrace or kernel modules. The allow-list root and the
namespaces already hold most of this; the filter closes what they would leave open if one slipped, and
is most of the kernel surface the container tier has. Installed by bwrap's --seccomp in the sandbox and
by the worker itself (confine.py) in the container tier.
"""
import os
import platform
import struct

EPERM, EACCES, ENOSYS = 1, 13, 38
# Per machine: AUDIT_ARCH and the numbers of the calls refused, each with the errno it gets. clone3 gets
# ENOSYS so that the C library falls back to clone, whose flags this filter can read (clone3's sit in
# memory it cannot).
ARCHES = {
    "x86_64": (0xC000003E, {
        "socket": 41, "clone": 56, "clone3": 435, "unshare": 272, "setns": 308, "mount": 165, "umount2": 166,
        "pivot_root": 155, "chroot": 161, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "keyctl": 250,
        "add_key": 248, "request_key": 249, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
        "kexec_load": 246, "init_module": 175, "finit_module": 313, "delete_module": 176}),
    "aarch64": (0xC00000B7, {
        "socket": 198, "clone": 220, "clone3": 435, "unshare": 97, "setns": 268, "mount": 40, "umount2": 39,
        "pivot_root": 41, "chroot": 51, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "keyctl": 219,
        "add_key": 217, "request_key": 218, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
        "kexec_load": 104, "init_module": 105, "finit_module": 273, "delete_module": 106}),
}
ERRNO = {"socket": EACCES, "clone3": ENOSYS, "io_uring_setup": ENOSYS, "io_uring_enter": ENOSYS,
         "io_uring_register": ENOSYS}
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET: a clone making any is refused (a time
# namespace needs unshare or clone3, both refused; clone's low byte is the exit signal).
NEW_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
X32_SYSCALL_BIT = 0x40000000
LD_ABS_W, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16


def _instruction(code, k, jump_true=0, jump_false=0):
    return struct.pack("<HBBI", code, jump_true, jump_false, k)


def _refuse(errno):
    return _instruction(RET_K, SECCOMP_RET_ERRNO | errno)


def worker_filter():
    """The compiled BPF program (bytes) for this machine, or None where it has no entry in ARCHES."""
    arch = ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit_arch, numbers = arch
    program = [
        _instruction(LD_ABS_W, OFFSET_ARCH),
        _instruction(JEQ_K, audit_arch, 1, 0),           # a foreign ABI (32-bit calls): refused
        _refuse(EACCES),
        _instruction(LD_ABS_W, OFFSET_NR),
        _instruction(JGE_K, X32_SYSCALL_BIT, 0, 1),     # x32 calls on x86_64: refused
        _refuse(EACCES),
    ]
    for name, number in numbers.items():
        if name != "clone":
            program += [_instruction(JEQ_K, number, 0, 1), _refuse(ERRNO.get(name, EPERM))]
    program += [
        _instruction(JEQ_K, numbers["clone"], 0, 3),
        _instruction(LD_ABS_W, OFFSET_ARG0),             # clone's flags (their low 32 bits hold every NEW*)
        _instruction(JSET_K, NEW_NAMESPACE_FLAGS, 0, 1),
        _refuse(EPERM),
        _instruction(RET_K, SECCOMP_RET_ALLOW),
    ]
    return b"".join(program)


def filter_fd():
    """A readable descriptor holding the program (for `bwrap --seccomp FD`), or None without a filter."""
    program = worker_filter()
    if program is None:
        return None
    read_end, write_end = os.pipe()
    os.write(write_end, program)
    os.close(write_end)
    return read_end
