#!/usr/bin/env python3
"""Judge a check-xen run from the results dom0 wrote.

    judge.py RESULTS_DIR BOOT_SECONDS [--serial SERIAL_LOG] [--series]
    judge.py --compare-hvmctx XEN_HVMCTX_OUT OTHER_OUT [TYPE:FIELD...]

Prints every step with its status and time, compares the JUDGE steps
(xen-hvmctx against vmport-state hvmctx, record by record and field by
field, formatting aside), and exits 1 if any step failed or a Xen-level
step is missing.

With --serial, Xen's console log is scanned: a triple fault, a domain
crash or a hypervisor failure anywhere FAILs the run, naming the step dom0
was in (its "=== STEP" lines reach the same console) and the guest (its
"dom0: domain NAME is dN" lines).  The lines around each finding go to
RESULTS_DIR/xen-failures.txt.
"""
import os
import re
import struct
import sys

ENTRY = re.compile(r"^\s*Entry\s+(\d+):\s+type\s+(\d+)\s+instance\s+(\d+),"
                   r"\s+length\s+(\d+)", re.I)
WORD = re.compile(r"[A-Za-z0-9_%.\[\]]+")
HEX = re.compile(r"^(0x)?[0-9a-f]+$")
# Steps that need only Xen, never vmport-state: a run without them failed.
XEN_STEPS = ("create-pvh", "xl-save", "restore-rewritten", "migrate-filter",
             "xl-save-pv", "xl-save-hvm", "restore-hvm")
# ... and in a series run (--series) also these.
SERIES_STEPS = ("xlcfg-vmport", "xl-save-restore-vmport", "migrate-10",
                "leak-check", "image-g2-no-vmport-param", "hostile-guest",
                "vmtoolsd-reboot", "vmtoolsd-poweroff")

# Xen console lines that fail a run.  (XEN) [ 12.345678] d2v0 Triple fault...
XEN_BAD = [
    (re.compile(r"\bd(\d+)v\d+ Triple fault"), "triple fault"),
    (re.compile(r"domain_crash called from"), "domain crash"),
    (re.compile(r"Domain (\d+) \(vcpu#\d+\) crashed"), "domain crash"),
    (re.compile(r"Domain (\d+) reported crashed"), "domain crash"),
    (re.compile(r"\bd(\d+)v\d+ .*(?:crashed|domain_crash)"), "domain crash"),
    (re.compile(r"Xen BUG at|FATAL TRAP|Panic on CPU|Assertion '.*' failed"),
     "hypervisor failure"),
    (re.compile(r"HVM save: no room"), "HVM save record overflow"),
]
# dom0's own kernel lines worth a note (not a failure: a loaded host that
# deschedules QEMU's vCPU threads for seconds causes them too): a stall
# means a CPU went without its timer interrupt; one that never ends hangs
# the run (seen under QEMU 7.2's TCG: issue 11 item 0).
DOM0_BAD = [
    (re.compile(r"rcu: .*(?:kthread starved|timer wakeup didn't happen|"
                r"self-detected stall|detected stalls)"), "dom0 RCU stall"),
    (re.compile(r"watchdog: BUG: soft lockup"), "dom0 soft lockup"),
]
STEP_LINE = re.compile(r"^=== (\S+)")
DOM_LINE = re.compile(r"dom0: domain (\S+) is d(\d+)")


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


def judge_hvmctx(res, stem):
    """xen-hvmctx read a paused domain before and after vmport-state did.

    A paused domain is not frozen: its guest TSC runs on and interrupts can
    still be latched (LAPIC IRR).  So every vmport-state field must equal
    what xen-hvmctx read just before or just after it, and its CPU tsc must
    lie between the two reads."""
    names = ["xen-hvmctx-%s.out" % stem, "vs-hvmctx-%s.out" % stem,
             "xen-hvmctx-%s-after.out" % stem]
    paths = [os.path.join(res, n) for n in names]
    missing = [n for n, p in zip(names, paths) if not os.path.exists(p)]
    if missing:
        return "FAIL", "missing " + " ".join(missing)
    before, vs, after = (records(read(p)) for p in paths)
    ok, detail = compare_hvmctx(read(paths[0]), read(paths[1]))
    if ok:
        return "PASS", detail + " (same as xen-hvmctx's first read)"
    if [r[:3] for r in before] != [r[:3] for r in vs] or \
       [r[:3] for r in after] != [r[:3] for r in vs]:
        return "FAIL", detail
    changed = 0
    for rb, rv, ra in zip(before, vs, after):
        if not len(rb[3]) == len(rv[3]) == len(ra[3]):
            return "FAIL", ("record type %d: %d, %d and %d values"
                            % (rb[0], len(rb[3]), len(rv[3]), len(ra[3])))
        for j, (fb, fv, fa) in enumerate(zip(rb[3], rv[3], ra[3])):
            if rb[0] == 2 and fb[0] == "tsc":
                lo, v, hi = (int(x[1], 16) for x in (fb, fv, fa))
                if not lo <= v <= hi:
                    return "FAIL", ("CPU tsc 0x%x not between xen-hvmctx's "
                                    "reads 0x%x and 0x%x" % (v, lo, hi))
            elif fv[1] not in (fb[1], fa[1]):
                return "FAIL", ("record type %d field %d '%s': vmport-state "
                                "0x%s, xen-hvmctx 0x%s before and 0x%s after"
                                % (rb[0], j, fb[0] or "?", fv[1], fb[1],
                                   fa[1]))
            if fb[1] != fa[1]:
                changed += 1
    fields = sum(len(r[3]) for r in before)
    return "PASS", ("%d records, %d fields each equal to xen-hvmctx's read "
                    "before or after (%d changed between them, tsc "
                    "included)" % (len(before), fields, changed))


def vmport_header(text):
    """(version, flags, record length) of the VMPORT record in patched
    xen-hvmctx output, or None."""
    length = None
    for line in text.splitlines():
        m = ENTRY.match(line)
        if m:
            length = int(m.group(4)) if int(m.group(2)) == 64 else None
            continue
        m = re.search(r"VMPORT: magic \S+, version (\d+), hdr_len \d+, "
                      r"flags (0x[0-9a-f]+|0)", line)
        if m and length is not None:
            return int(m.group(1)), int(m.group(2), 16), length
    return None


def without_type(text, code):
    """hvmctx text without the records of one type."""
    out, skip = [], False
    for line in text.splitlines():
        m = ENTRY.match(line)
        if m:
            skip = int(m.group(2)) == code
        if not skip:
            out.append(line)
    return "\n".join(out)


def judge_vmport(res):
    """Step 6: the patched xen-hvmctx shows the live guest's VMPORT record
    (header version and flags, record length) as vmport-state sees it
    (dump --domain, hvmctx --domain); every other record as before."""
    names = ["xen-hvmctx-vmport.out", "vs-hvmctx-vmport.out",
             "xen-hvmctx-vmport-after.out", "vs-dump-vmport.out"]
    paths = [os.path.join(res, n) for n in names]
    missing = [n for n, p in zip(names, paths) if not os.path.exists(p)]
    if missing:
        return "FAIL", "missing " + " ".join(missing)
    xen, vs, after, dump = (read(p) for p in paths)
    h = vmport_header(xen)
    if h is None:
        return "FAIL", ("the patched xen-hvmctx shows no VMPORT record "
                        "(type 64) with a header line: %s"
                        % " | ".join(l for l in xen.splitlines()
                                     if "64" in l or "VMPORT" in l)[:200])
    m = re.search(r"VMPORT record version (\d+), flags (0x[0-9a-f]+|0)", dump)
    if not m:
        return "FAIL", "vmport-state dump --domain: no 'VMPORT record version' line"
    if (int(m.group(1)), int(m.group(2), 16)) != h[:2]:
        return "FAIL", ("xen-hvmctx: VMPORT version %d flags %#x; vmport-state "
                        "dump: version %s flags %s" % (h[0], h[1], m.group(1),
                                                      m.group(2)))
    vlen = [int(e.group(4)) for e in map(ENTRY.match, vs.splitlines())
            if e and int(e.group(2)) == 64]
    if vlen != [h[2]]:
        return "FAIL", ("VMPORT record length: xen-hvmctx %d, vmport-state "
                        "hvmctx %s" % (h[2], vlen))
    # The rest, as in hvmctx-domain (a paused domain's tsc runs on).
    tmp = os.path.join(res, ".vmport-judge")
    os.makedirs(tmp, exist_ok=True)
    for name, text in (("xen-hvmctx-x.out", xen), ("vs-hvmctx-x.out", vs),
                       ("xen-hvmctx-x-after.out", after)):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(without_type(text, 64))
    status, detail = judge_hvmctx(tmp, "x")
    if status != "PASS":
        return status, "VMPORT record agrees; other records: " + detail
    return "PASS", ("VMPORT record version %d flags %#x length %d in both; "
                    "other records: %s" % (h[0], h[1], h[2], detail))


TRC_CPU_CHANGE = 0x0001f003


def xentrace_records(data):
    """(cpu, tsc, event, [extra u32...]) of a xentrace file."""
    off, cpu = 0, 0
    while off + 4 <= len(data):
        (hdr,) = struct.unpack_from("<I", data, off)
        off += 4
        event, n, has_tsc = hdr & 0x0fffffff, (hdr >> 28) & 7, hdr >> 31
        tsc = 0
        if has_tsc:
            if off + 8 > len(data):
                break
            lo, hi = struct.unpack_from("<II", data, off)
            tsc = hi << 32 | lo
            off += 8
        if off + 4 * n > len(data):
            break
        extra = list(struct.unpack_from("<%dI" % n, data, off))
        off += 4 * n
        if event == TRC_CPU_CHANGE and extra:
            cpu = extra[0]
            continue
        yield cpu, tsc, event, extra


def xentrace_decode(formats_text, data):
    """Decoded lines for the events the formats file knows, as Xen's
    xentrace_format (python 2 only, so not run here) prints them."""
    fmts = {}
    for line in formats_text.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0].startswith("0x"):
            fmts[int(parts[0], 16)] = parts[1]
    out, last = [], None
    for cpu, tsc, event, extra in xentrace_records(data):
        if event not in fmts:
            continue
        args = {"cpu": cpu, "tsc": tsc,
                "reltsc": 0 if last is None else tsc - last}
        last = tsc
        for i in range(7):
            args[str(i + 1)] = extra[i] if i < len(extra) else 0
        out.append((event, fmts[event] % args))
    return out


def judge_xentrace(res):
    """Step 7: the trace of the guest's calls holds VMPORT_IO events on the
    backdoor ports, and the series' formats file decodes them."""
    trace = os.path.join(res, "vmport.trace")
    fmt = os.path.join(res, "xentrace-formats")
    if not os.path.exists(trace):
        return "FAIL", "no vmport.trace"
    if not os.path.exists(fmt):
        return "FAIL", "no formats file from the series build"
    with open(trace, "rb") as f:
        data = f.read()
    try:
        lines = xentrace_decode(read(fmt), data)
    except (ValueError, KeyError, TypeError) as e:
        return "FAIL", "the formats file does not decode the trace: %s" % e
    vm = [l for e, l in lines if e in (0x00082028, 0x00082029)]
    with open(os.path.join(res, "vmport-trace.txt"), "w") as f:
        f.writelines(l + "\n" for l in vm)
    io = [l for l in vm if "VMPORT_IO" in l]
    ports = sorted({m.group(1) for m in
                    (re.search(r"port = (0x[0-9a-f]+)", l) for l in io) if m})
    if not io:
        return "FAIL", ("%d trace records, %d decoded, no VMPORT_IO among "
                        "them" % (sum(1 for _ in xentrace_records(data)),
                                  len(lines)))
    if set(ports) - {"0x5658", "0x5659"}:
        return "FAIL", "VMPORT_IO on ports %s" % " ".join(ports)
    return "PASS", ("%d VMPORT_IO (ports %s), %d VMPORT_GP decoded by the "
                    "formats file, e.g. '%s'" % (len(io), " ".join(ports),
                                                len(vm) - len(io),
                                                " ".join(io[0].split())))


# The register dump after "Triple fault": a guest's saved state that holds
# the hypervisor's own code segment (e008) and an address in its text is
# not something a guest can produce; on SVM the CPU writes those fields at
# #VMEXIT.  Under QEMU TCG this has been seen as the host state of VMRUN
# (rip just after it, rax the VMCB's address, rsp Xen's stack).
DUMP_RIP = re.compile(r"RIP:\s+([0-9a-f]{4}):\[<([0-9a-f]+)>\]")


def host_state_note(dump):
    """What a triple fault's dump says about whose state the guest had."""
    for line in dump:
        m = DUMP_RIP.search(line)
        if m:
            if m.group(1) == "e008" and m.group(2).startswith("ffff82d0"):
                return (" [the guest's saved state is the hypervisor's own "
                        "(cs e008, rip %s in Xen's text): the emulated CPU "
                        "saved host state as guest state at a #VMEXIT; "
                        "see tests/xen/README.md]" % m.group(2))
            return ""
    return ""


def scan_serial(path, res):
    """Steps FAILed by what Xen's console says: [(name, detail)]."""
    found = []
    step, doms = "boot", {}
    lines = read(path).splitlines()
    evidence = []
    dom0_seen = set()
    for i, line in enumerate(lines):
        line = line.rstrip("\r")
        m = STEP_LINE.match(line)
        if m:
            step = m.group(1)
            continue
        m = DOM_LINE.search(line)
        if m:
            doms[m.group(2)] = m.group(1)
            continue
        if not line.startswith("(XEN)"):
            for rx, what in DOM0_BAD:
                if rx.search(line) and (what, step) not in dom0_seen:
                    dom0_seen.add((what, step))
                    print("check-xen: note: %s during step %s: %s"
                          % (what, step, line.strip()[:160]))
                    evidence.append("---- %s during step %s (serial.log "
                                    "line %d)\n%s\n" % (what, step, i + 1,
                                                        line.strip()))
                    break
            continue
        for rx, what in XEN_BAD:
            m = rx.search(line)
            if not m:
                continue
            dom = m.group(1) if rx.groups else None
            who = ("d%s (%s)" % (dom, doms.get(dom, "not a test guest"))
                   if dom else "the hypervisor")
            note = (host_state_note(lines[i + 1:i + 12])
                    if what == "triple fault" else "")
            found.append(("xen-console", "%s of %s during step %s: %s%s"
                          % (what, who, step, line.strip()[:160], note)))
            evidence.append("---- %s of %s during step %s (serial.log line "
                            "%d)\n" % (what, who, step, i + 1))
            evidence.extend(l + "\n" for l in lines[max(0, i - 5):i + 40])
            break
    if evidence:
        with open(os.path.join(res, "xen-failures.txt"), "w") as f:
            f.writelines(evidence)
    return found


def main():
    if sys.argv[1] == "--compare-hvmctx":
        ok, detail = compare_hvmctx(read(sys.argv[2]), read(sys.argv[3]),
                                    sys.argv[4:])
        print(("match: " if ok else "MISMATCH: ") + detail)
        return 0 if ok else 1
    res, boot_s = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    serial = None
    if "--serial" in args:
        serial = args[args.index("--serial") + 1]
    series = "--series" in args
    steps = []
    for line in open(os.path.join(res, "steps.tsv")):
        name, status, secs, detail = (line.rstrip("\n").split("\t", 3)
                                      + ["", "", ""])[:4]
        if status == "JUDGE" and name == "hvmctx-vmport":
            status, detail = judge_vmport(res)
        elif status == "JUDGE" and name == "xentrace-vmport":
            status, detail = judge_xentrace(res)
        elif status == "JUDGE":
            status, detail = judge_hvmctx(res, "live")
        steps.append((name, status, secs, detail))
    if os.path.exists(os.path.join(res, "vs-hvmctx-restored.out")):
        status, detail = judge_hvmctx(res, "restored")
        steps.append(("hvmctx-restored-domain", status, "-", detail))

    if serial and os.path.exists(serial):
        bad = scan_serial(serial, res)
        for name, detail in bad:
            steps.append((name, "FAIL", "-", detail))
        if not bad:
            steps.append(("xen-console", "PASS", "-", "no triple fault, "
                          "domain crash or hypervisor failure in serial.log"))

    seen = {s[0] for s in steps}
    # A series run leaves g1's save/restore/migrate to the stock run.
    for name in (SERIES_STEPS if series else XEN_STEPS):
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
