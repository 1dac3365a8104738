#!/usr/bin/env python3
"""Writes link/hot-text.ld: the functions an exam runs, laid out together in the binary.

    python3 scripts/hot-text.py            (needs valgrind; builds what it measures)

Why: the kernel maps a program's code 64 KiB at a time around each page it touches, and the
functions an exam runs (about 1 MB) were spread over the whole 5 MB of `.text`, so most of
it was resident (docs/performance.md, "Start-up"). The linker script this writes gathers
them into one output section, `.text.hot`, placed before `.text`; build.rs passes it to the
linker of release builds on x86_64 Linux. Nothing else changes: the same code, only where
it sits.

How: every scenario below runs the release binary under callgrind (`--demangle=no`), which
names each function it executed; the ones defined in the binary become input-section lines
of the script, those of the mock exam first (the exam's peak memory is what the layout is
for), then the other commands'. Symbol names carry a hash of the build's flags, features and
toolchain, and `cargo bench` builds the binary with other features than `cargo build
--release` (the dev-dependencies' features are unified in), so both binaries are measured
and both sets of names listed (each build's link matches its own). Each exact name is
followed, at the end of the section, by a pattern with the hash as a wildcard: after a
toolchain update the exact lines match nothing and the patterns still gather the same
functions (with every other instance of a generic one). Run this again after large changes
(`cargo bench --bench exam_startup` prints the peak memory).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "link", "hot-text.ld")

ANSWERS = "a\n" * 70 + "review\nsubmit\n"
DRILL = "a\n\n" * 12 + "quit\n"

# (arguments, stdin, at a terminal); the mock exam's first: the layout is ordered by them.
EXAM_SCENARIOS = [
    (["exam", "saa-c03", "--seed", "1"], ANSWERS, False),
    (["exam", "saa-c03", "--seed", "2", "--json"], ANSWERS, False),
    (["exam", "clf-c02", "--seed", "3"], "quit\n", False),
    (["exam", "saa-c03", "--seed", "4"], "\nb\nflag\nn\nreview\n1\nquit\n", True),
]
OTHER_SCENARIOS = [
    (["resume"], "b\nflag\nreview\nquit\n", False),
    (["list"], "", False),
    (["--version"], "", False),
    (["drill", "saa-c03", "--count", "5"], DRILL, False),
    (["review", "saa-c03"], DRILL, False),
    (["stats", "saa-c03"], "", False),
    (["history"], "", False),
    (["show", "1"], "", False),
]


def built_binary(cargo_args):
    """Builds with `cargo CARGO_ARGS --message-format=json`; the proctor binary's path."""
    result = subprocess.run(["cargo", *cargo_args, "--message-format=json"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, check=True)
    for line in result.stdout.splitlines():
        message = json.loads(line)
        target = message.get("target", {})
        if message.get("reason") == "compiler-artifact" and target.get("name") == "proctor" \
                and "bin" in target.get("kind", []) and message.get("executable"):
            return message["executable"]
    sys.exit(f"cargo {' '.join(cargo_args)} built no proctor binary")


def executed(binary, args, stdin, terminal, data_dir, out):
    """The function names callgrind recorded for one run of the binary."""
    command = ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", binary, *args]
    env = dict(os.environ, PROCTOR_DATA_DIR=data_dir, COLUMNS="80")
    env.pop("PROCTOR_FAKE_CLOCK", None)
    env.pop("PROCTOR_BANK_DIR", None)
    if terminal:
        # util-linux `script` gives the run a pseudo-terminal (the line editor's code).
        command = ["script", "-qec", " ".join(command), "/dev/null"]
    subprocess.run(command, input=stdin.encode(), env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False, timeout=600)
    names = []
    with open(out) as profile:
        for line in profile:
            match = re.match(r"c?fn=\(\d+\) (\S+)", line)
            if match:
                names.append(match.group(1))
    return names


def defined_functions(binary):
    """The function symbols the binary defines (release builds keep their symbol table)."""
    listing = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True)
    names = set()
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tTwW":
            names.add(fields[2])
    return names


def pattern(name):
    """The name with its build-specific hash as a wildcard (None: the name has none)."""
    if name.startswith("_ZN"):
        # Legacy Rust mangling: the hash is the last path component, `17h` and 16 hex digits.
        generic, count = re.subn(r"17h[0-9a-f]{16}E$", "17h*", name)
        return generic if count else None
    if name.startswith("_R"):
        # v0 mangling (the standard library): crate disambiguators `Cs..._`, and
        # back-references `B..._`, whose offsets move when a disambiguator's length does.
        generic = re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", name)
        generic = re.sub(r"B[0-9A-Za-z]*_", "B*_", generic)
        generic = re.sub(r"\*+", "*", generic)
        return generic if generic != name else None
    return None


def measure(binary, exact, patterns, seen_exact, seen_patterns):
    """Adds the functions the scenarios run in `binary` (and their patterns) to the lists."""
    defined = defined_functions(binary)
    if len(defined) < 1000:
        sys.exit(f"{binary} has almost no symbols: the release profile must keep them (strip = \"debuginfo\")")
    with tempfile.TemporaryDirectory() as work:
        data_dir = os.path.join(work, "data")
        for n, (args, stdin, terminal) in enumerate(EXAM_SCENARIOS + OTHER_SCENARIOS):
            print(f"callgrind: {os.path.basename(binary)} {' '.join(args)}", file=sys.stderr)
            for name in executed(binary, args, stdin, terminal, data_dir, os.path.join(work, f"cg.{n}")):
                if name not in defined or name in seen_exact:
                    continue
                seen_exact.add(name)
                exact.append(name)
                generic = pattern(name)
                if generic and generic not in seen_patterns:
                    seen_patterns.add(generic)
                    patterns.append(generic)


def main():
    for tool in ["valgrind", "nm", "script", "cargo"]:
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed (Debian: valgrind, binutils, util-linux)")
    exact, patterns = [], []
    seen_exact, seen_patterns = set(), set()
    with tempfile.TemporaryDirectory() as copies:
        # Both builds put their binary at target/release/proctor: each is copied away first.
        binaries = []
        for name, cargo_args in [("release", ["build", "--release", "--bin", "proctor"]),
                                 ("bench", ["bench", "--no-run", "--bench", "exam_startup"])]:
            binaries.append(shutil.copy2(built_binary(cargo_args), os.path.join(copies, f"proctor-{name}")))
        for binary in binaries:
            measure(binary, exact, patterns, seen_exact, seen_patterns)
    # A function's section is `.text.` and its symbol, or `.text.unlikely.` and its symbol
    # for one marked cold (Rust's `#[cold]`: growing a `Vec`, clap's command builders);
    # none of these characters is special to the linker script lexer but our wildcard.
    def line(name):
        return f"    *(.text.{name} .text.unlikely.{name})\n"

    lines = [line(name) for name in exact]
    lines.append("    /* The same functions by name without the build's hash (see the script). */\n")
    lines += [line(name) for name in patterns]
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as out:
        out.write(
            "/* Generated by scripts/hot-text.py from callgrind runs of the release binary; do not edit.\n"
            "   The functions a mock exam runs first, then those of the other commands, gathered\n"
            "   before .text so an exam keeps few pages of code resident (docs/performance.md). */\n"
            "SECTIONS\n{\n  .text.hot :\n  {\n"
        )
        out.writelines(lines)
        out.write("  }\n}\nINSERT BEFORE .text;\n")
    print(f"wrote {OUTPUT}: {len(exact)} functions, {len(patterns)} patterns", file=sys.stderr)


if __name__ == "__main__":
    main()
