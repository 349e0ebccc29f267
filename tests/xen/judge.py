#!/usr/bin/env python3
"""Judge a check-xen run from the results dom0 wrote.

    judge.py RESULTS_DIR BOOT_SECONDS
    judge.py --compare-hvmctx XEN_HVMCTX_OUT OTHER_OUT [TYPE:FIELD...]

Prints every step with its status and time, compares the JUDGE steps
(xen-hvmctx against vmport-state hvmctx, record by record and field by
field, formatting aside), and exits 1 if any step failed or a Xen-level
step is missing.
"""
import os
import re
import sys

ENTRY = re.compile(r"^\s*Entry\s+(\d+):\s+type\s+(\d+)\s+instance\s+(\d+),"
                   r"\s+length\s+(\d+)", re.I)
WORD = re.compile(r"[A-Za-z0-9_%.\[\]]+")
HEX = re.compile(r"^(0x)?[0-9a-f]+$")
# Steps that need only Xen, never vmport-state: a run without them failed.
XEN_STEPS = ("create-pvh", "xl-save", "restore-rewritten", "migrate-filter")


def number(word):
    """The canonical form of a number token, or None for a name."""
    w = word.lower()
    if not HEX.match(w) or not any(c.isdigit() for c in w):
        return None
    w = w[2:] if w.startswith("0x") else w
    return w.lstrip("0") or "0"


def records(text):
    """[(type, instance, length, [(name, value)...])] from hvmctx text.

    Every number is paired with the name words before it, so a mismatch can
    say which field differs; punctuation, spacing, case, zero padding and a
    0x prefix do not count.  Lines before the first Entry are ignored."""
    out = []
    cur = None
    for line in text.splitlines():
        m = ENTRY.match(line)
        if m:
            cur = (int(m.group(2)), int(m.group(3)), int(m.group(4)), [])
            out.append(cur)
            continue
        if cur is None:
            continue
        names = []
        for word in WORD.findall(line):
            val = number(word)
            if val is None:
                names.append(word.lower())
            else:
                cur[3].append((" ".join(names[-2:]), val))
    return out


def compare_hvmctx(xen_text, other_text, skip=()):
    """(ok, detail): does other_text say what xen-hvmctx said?

    skip holds "TYPE:FIELD" strings (e.g. "2:tsc") for fields known to
    differ for a stated reason; they are still counted, not compared."""
    a = records(xen_text)
    b = records(other_text)
    if not a:
        return False, "xen-hvmctx output has no records"
    if not b:
        return False, "vmport-state output has no 'Entry N: type T ...' records"
    for i, (ra, rb) in enumerate(zip(a, b)):
        if ra[:3] != rb[:3]:
            return False, ("record %d: xen-hvmctx has type %d instance %d "
                           "length %d, vmport-state has type %d instance %d "
                           "length %d" % ((i,) + ra[:3] + rb[:3]))
        for j, (fa, fb) in enumerate(zip(ra[3], rb[3])):
            if "%d:%s" % (ra[0], fa[0]) in skip:
                continue
            if fa[1] != fb[1]:
                return False, ("record %d (type %d) field %d '%s': xen-hvmctx "
                               "0x%s, vmport-state 0x%s"
                               % (i, ra[0], j, fa[0] or "?", fa[1], fb[1]))
        if len(ra[3]) != len(rb[3]):
            return False, ("record %d (type %d): xen-hvmctx has %d values, "
                           "vmport-state %d" % (i, ra[0], len(ra[3]),
                                                len(rb[3])))
    if len(a) != len(b):
        return False, ("xen-hvmctx has %d records, vmport-state %d"
                       % (len(a), len(b)))
    fields = sum(len(r[3]) for r in a)
    return True, "%d records, %d fields equal%s" % (
        len(a), fields, " (not compared: %s)" % " ".join(skip) if skip else "")


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def cpu_tscs(text):
    """The CPU records' tsc values (one per vCPU), as integers."""
    return [int(v, 16) for r in records(text) if r[0] == 2
            for name, v in r[3] if name == "tsc"]


def judge_hvmctx(res, stem):
    """xen-hvmctx read a paused domain before and after vmport-state did.

    The guest TSC runs on while a domain is paused, so vmport-state's CPU
    tsc must lie between the two xen-hvmctx reads; every other field must
    equal what xen-hvmctx said (and the two xen-hvmctx reads each other)."""
    names = ["xen-hvmctx-%s.out" % stem, "vs-hvmctx-%s.out" % stem,
             "xen-hvmctx-%s-after.out" % stem]
    paths = [os.path.join(res, n) for n in names]
    missing = [n for n, p in zip(names, paths) if not os.path.exists(p)]
    if missing:
        return "FAIL", "missing " + " ".join(missing)
    before, vs, after = (read(p) for p in paths)
    ok, detail = compare_hvmctx(before, after, ("2:tsc",))
    if not ok:
        return "FAIL", "xen-hvmctx changed between two reads: " + detail
    ok, detail = compare_hvmctx(before, vs, ("2:tsc",))
    if not ok:
        return "FAIL", detail
    tscs = list(zip(cpu_tscs(before), cpu_tscs(vs), cpu_tscs(after)))
    if not tscs:
        return "FAIL", "no CPU tsc field in the outputs"
    for cpu, (a, v, b) in enumerate(tscs):
        if not a <= v <= b:
            return "FAIL", ("vCPU %d tsc 0x%x not between xen-hvmctx's reads "
                            "0x%x and 0x%x" % (cpu, v, a, b))
    return "PASS", detail.replace("(not compared: 2:tsc)",
                                  "and tsc between two xen-hvmctx reads")


def main():
    if sys.argv[1] == "--compare-hvmctx":
        ok, detail = compare_hvmctx(read(sys.argv[2]), read(sys.argv[3]),
                                    sys.argv[4:])
        print(("match: " if ok else "MISMATCH: ") + detail)
        return 0 if ok else 1
    res, boot_s = sys.argv[1], sys.argv[2]
    steps = []
    for line in open(os.path.join(res, "steps.tsv")):
        name, status, secs, detail = (line.rstrip("\n").split("\t", 3)
                                      + ["", "", ""])[:4]
        if status == "JUDGE":
            status, detail = judge_hvmctx(res, "live")
        steps.append((name, status, secs, detail))
    if os.path.exists(os.path.join(res, "vs-hvmctx-restored.out")):
        status, detail = judge_hvmctx(res, "restored")
        steps.append(("hvmctx-restored-domain", status, "-", detail))

    seen = {s[0] for s in steps}
    for name in XEN_STEPS:
        if name not in seen:
            steps.append((name, "FAIL", "-", "step never ran (dom0 stopped "
                           "early; see dom0-tests.log)"))

    print("check-xen: %-28s %-5s %8s  %s" % ("step", "", "seconds", "detail"))
    for name, status, secs, detail in steps:
        print("check-xen: %-28s %-5s %8s  %s" % (name, status, secs, detail))
    counts = {}
    for s in steps:
        counts[s[1]] = counts.get(s[1], 0) + 1
    toolstack = read(os.path.join(res, "uptime-toolstack")).strip()
    end = read(os.path.join(res, "uptime-end")).strip()
    print("check-xen: timings: dom0 kernel start to toolstack ready %s s, "
          "to results %s s; QEMU start to results on the host %s s"
          % (toolstack, end, boot_s))
    print("check-xen: %d passed, %d failed, %d skipped"
          % (counts.get("PASS", 0), counts.get("FAIL", 0),
             counts.get("SKIP", 0)))
    return 1 if counts.get("FAIL", 0) else 0


if __name__ == "__main__":
    sys.exit(main())
