#!/usr/bin/env python3
"""Which pages of the proctor binary an exam has mapped, while it waits for input.

    python3 scripts/resident_pages.py target/release/proctor exam saa-c03 --seed 1

Starts the command with a pipe on stdin, waits until it prints its first question, reads
/proc/PID/pagemap for each mapping of the binary (the present bit needs no privilege), prints
the resident runs by file offset, then sends `quit`. Compare the offsets with
`size -A -x BINARY` (sections) to see what is resident. Linux only.
"""
import os
import struct
import subprocess
import sys


def resident(pid, binary):
    name = os.path.realpath(binary)
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            fields = line.split()
            if len(fields) < 6 or os.path.realpath(fields[5]) != name:
                continue
            low, high = (int(x, 16) for x in fields[0].split("-"))
            offset = int(fields[2], 16)
            pages = (high - low) // 4096
            pagemap.seek(low // 4096 * 8)
            data = pagemap.read(pages * 8)
            present = [struct.unpack_from("<Q", data, i * 8)[0] >> 63 for i in range(pages)]
            print(f"{fields[1]} at file offset {offset:#x}: {sum(present) * 4} of {pages * 4} KiB resident")
            start = None
            for i, bit in enumerate(present + [0]):
                if bit and start is None:
                    start = i
                elif not bit and start is not None:
                    print(f"    {offset + start * 4096:#010x}-{offset + i * 4096:#010x} {(i - start) * 4} KiB")
                    start = None


def main():
    binary, args = sys.argv[1], sys.argv[2:]
    child = subprocess.Popen([binary, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for line in child.stdout:
        if line.startswith(b"Question 1 of"):
            break
    resident(child.pid, binary)
    with open(f"/proc/{child.pid}/status") as status:
        for line in status:
            if line.startswith(("VmHWM", "RssAnon", "RssFile")):
                print(line.strip())
    child.stdin.write(b"quit\n")
    child.stdin.close()
    child.stdout.read()
    child.wait()


if __name__ == "__main__":
    main()
