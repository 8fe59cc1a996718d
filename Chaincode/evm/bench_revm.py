#!/usr/bin/env python3
"""Runs the cases of `weft bench evm` on revm (PyPI `pyrevm`), for a side-by-side comparison.

Reads {"cases": [...]} on stdin; each case is {"name", "code" (runtime hex, installed directly) or
"initcode" (hex, deployed first), "calldata" (hex), "repeats", "calls" (optional: separate calls to
time instead of one)} and "clock" ("cpu": this thread's CPU time, the default; "wall"). Prints one JSON document: [{"name", "gasUsed", "seconds"}], where seconds is
the median over the repeats of the time of one call (or of all `calls` calls). Called by
`weft bench evm`; needs `pip install pyrevm`.
"""
import json
import statistics
import sys
import time

from pyrevm import EVM, AccountInfo

CONTRACT = "0x" + "c0" * 20
CALLER = "0x" + "a1" * 20
GAS = 2**62


def run_case(case, clock):
    evm = EVM(spec_id="CANCUN")
    evm.set_balance(CALLER, 10**30)
    if case.get("initcode"):
        target = evm.deploy(CALLER, bytes.fromhex(case["initcode"]), gas=30_000_000)
    else:
        target = CONTRACT
        evm.insert_account_info(CONTRACT, AccountInfo(code=bytes.fromhex(case["code"])))
    calldata = bytes.fromhex(case["calldata"])
    calls = case.get("calls", 1)
    times, gas_used = [], 0
    for _ in range(case["repeats"]):
        start = clock()
        for _ in range(calls):
            evm.message_call(CALLER, target, calldata=calldata, gas=GAS)
        times.append(clock() - start)
        gas_used = evm.result.gas_used
        if not evm.result.is_success:
            raise SystemExit(f"revm: case {case['name']} failed: {evm.result}")
    return {"name": case["name"], "gasUsed": gas_used, "seconds": statistics.median(times)}


def main():
    request = json.load(sys.stdin)
    clock = time.thread_time if request.get("clock", "cpu") == "cpu" else time.perf_counter
    print(json.dumps([run_case(case, clock) for case in request["cases"]]))


if __name__ == "__main__":
    main()
