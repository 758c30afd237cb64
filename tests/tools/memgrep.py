# memgrep.py: sourced by gdb (-x) while the inferior is stopped: count the
# copies of $MEMGREP_NEEDLE in its readable memory.  Only mappings under
# 256 MiB are read, which leaves out a sanitizer's shadow (terabytes of
# address space) and keeps every heap, stack and data segment.
import os
import gdb

needle = os.environ["MEMGREP_NEEDLE"].encode()
inferior = gdb.selected_inferior()
copies = 0
with open("/proc/%d/maps" % inferior.pid) as maps:
    for line in maps:
        fields = line.split()
        lo, hi = (int(x, 16) for x in fields[0].split("-"))
        if "r" not in fields[1] or hi - lo > 256 << 20:
            continue
        try:
            found = inferior.read_memory(lo, hi - lo).tobytes().count(needle)
        except gdb.MemoryError:
            continue
        if found:
            print("found in: %s" % line.strip())
        copies += found
print("copies: %d" % copies)
