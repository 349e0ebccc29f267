#!/usr/bin/python3
"""Open vmport-stress's report.html in headless Chromium and check it.

    check-report-page.py REPORT_HTML SCREENSHOT_PNG

Drives Debian's chromium through chromedriver (package chromium-driver)
over the W3C WebDriver protocol, on a loopback port, with nothing but the
standard library.  Passes when the page loads with no console error, every
chart (figure.chart, five of them) holds an SVG with drawn elements and a
non-empty box, and the summary table is there; keeps a screenshot.
Prints PASS/FAIL lines named for what they prove; exit 0 only if all pass.
"""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

CHARTS = ["downtime-distribution", "downtime-over-time", "record-size",
          "outcomes-by-fault", "hop-timeline"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["value"]


def main():
    page, shot = sys.argv[1], sys.argv[2]
    port = free_port()
    drv = subprocess.Popen(["chromedriver", "--port=%d" % port],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    results = []
    try:
        for _ in range(100):                    # bounded: 10 s
            try:
                call(base, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox",
                         "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1000,2400"]},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        sid = call(base, "POST", "/session", caps)["sessionId"]
        s = "/session/" + sid
        call(base, "POST", s + "/url",
             {"url": "file://" + os.path.abspath(page)})
        logs = call(base, "POST", s + "/se/log", {"type": "browser"})
        errors = [l["message"] for l in logs if l["level"] == "SEVERE"]
        results.append(("report_page_loads_without_console_errors",
                        not errors, "console errors: %s" % errors[:3]))
        charts = call(base, "POST", s + "/execute/sync", {"script": """
            return Array.from(document.querySelectorAll('figure.chart'))
              .map(f => { const v = f.querySelector('svg');
                          const b = v ? v.getBoundingClientRect() : null;
                          return { id: f.id,
                                   drawn: v ? v.querySelectorAll(
                                       'path, rect, circle, polyline, use')
                                       .length : 0,
                                   w: b ? b.width : 0, h: b ? b.height : 0 };
              });""", "args": []})
        seen = {c["id"]: c for c in charts}
        for name in CHARTS:
            c = seen.get("chart-" + name)
            ok = c is not None and c["drawn"] > 0 and c["w"] > 0 and \
                c["h"] > 0
            results.append(("report_chart_%s_present_and_drawn" %
                            name.replace("-", "_"), ok,
                            "chart-%s: %s" % (name, c)))
        rows = call(base, "POST", s + "/execute/sync", {
            "script": "return document.querySelectorAll("
                      "'#summary tr').length;", "args": []})
        results.append(("report_summary_table_present", rows >= 5,
                        "%d rows" % rows))
        png = base64.b64decode(call(base, "GET", s + "/screenshot"))
        with open(shot, "wb") as f:
            f.write(png)
        results.append(("report_screenshot_kept", len(png) > 1000,
                        "%d bytes in %s" % (len(png), shot)))
        call(base, "DELETE", s)
    except Exception as e:                      # a broken driver is a FAIL
        results.append(("report_page_opens_in_chromium", False, repr(e)))
    finally:
        drv.terminate()
        try:
            drv.wait(10)
        except subprocess.TimeoutExpired:
            drv.kill()
    bad = 0
    for name, ok, why in results:
        if ok:
            print("PASS " + name)
        else:
            print("FAIL %s: %s" % (name, why))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
