# smpkern.py - gdb helpers for smpkern, named after Linux's scripts/gdb
# (lx-ps, $lx_per_cpu, $lx_current) so the habit carries over.
#
# Loaded by `make debug` (or: gdb build/kernel.elf -x tools/gdb/smpkern.py).
#
#   lx-cpus               each CPU: online?, current task, preempt_count,
#                         need_resched, run-queue length
#   lx-ps                 every task: pid, state, CPU, on_cpu, name
#   lx-runqueue [CPU]     the tasks queued on one CPU (default: all CPUs)
#   lx-lock EXPR          a lock's state and holder: spinlock_t, ticket
#                         lock, rwlock_t, struct mutex, struct semaphore
#                         (EXPR is a lock or a pointer to one)
#   $lx_per_cpu("var", CPU)   that CPU's copy of a per-CPU variable
#   $lx_current(CPU)          that CPU's running task (struct task_struct *)
#
# Per-CPU variables live in a template section; CPU n's copy is at the
# template address plus __per_cpu_offset[n] (sync/percpu.h).
import gdb

STATES = {0: "R", 1: "S", 2: "D", 4: "N", 8: "X"}


def per_cpu_ptr(name, cpu):
    var = gdb.parse_and_eval(name)
    off = int(gdb.parse_and_eval("__per_cpu_offset[%d]" % cpu))
    addr = (int(var.address) + off) & 0xffffffffffffffff	# offsets may wrap
    return gdb.Value(addr).cast(var.type.pointer())


def nr_cpu_ids():
    return int(gdb.parse_and_eval("nr_cpu_ids"))


def cpu_in_mask(mask, cpu):
    bits = gdb.parse_and_eval(mask)["bits"]
    return (int(bits[cpu // 64]) >> (cpu % 64)) & 1 == 1


def container_of(ptr, typename, member):
    t = gdb.lookup_type(typename)
    off = int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (typename, member)))
    return gdb.Value(int(ptr) - off).cast(t.pointer())


def list_entries(head, typename, member):
    """The entries of a struct list_head list, as typename pointers."""
    node = head["next"]
    first = int(head.address)
    seen = 0
    if int(node) == 0:
        return		# never initialized (INIT_LIST_HEAD not run yet)
    while int(node) != first:
        yield container_of(node, typename, member)
        node = node["next"]
        seen += 1
        if seen > 100000:
            raise gdb.GdbError("list at %#x looks corrupt (no end)" % first)


def task_str(t):
    if int(t) == 0:
        return "-"
    return "%s (pid %d)" % (t["comm"].string(), int(t["pid"]))


def field_or(v, name, default=None):
    try:
        return v[name]
    except gdb.error:
        return default


class PerCpu(gdb.Function):
    """$lx_per_cpu("var", cpu): that CPU's copy of the per-CPU variable."""

    def __init__(self):
        super().__init__("lx_per_cpu")

    def invoke(self, name, cpu):
        return per_cpu_ptr(name.string(), int(cpu)).dereference()


class Current(gdb.Function):
    """$lx_current(cpu): the task running on that CPU."""

    def __init__(self):
        super().__init__("lx_current")

    def invoke(self, cpu):
        return per_cpu_ptr("current_task", int(cpu)).dereference()


class Cpus(gdb.Command):
    """lx-cpus: each CPU's current task, preemption state and run queue."""

    def __init__(self):
        super().__init__("lx-cpus", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        print("%-4s %-7s %-24s %-10s %-6s %s" %
              ("CPU", "online", "current", "preempt", "resched", "running"))
        for cpu in range(nr_cpu_ids()):
            if not cpu_in_mask("__cpu_possible_mask", cpu):
                continue
            cur = per_cpu_ptr("current_task", cpu).dereference()
            pc = int(per_cpu_ptr("__preempt_count", cpu).dereference())
            nr = per_cpu_ptr("__need_resched", cpu).dereference()
            rq = per_cpu_ptr("runqueues", cpu).dereference()
            print("%-4d %-7s %-24s %#-10x %-6d %d" %
                  (cpu, "yes" if cpu_in_mask("__cpu_online_mask", cpu) else "no",
                   task_str(cur), pc, int(nr), int(rq["nr_running"])))


class Ps(gdb.Command):
    """lx-ps: every task (pid, state, CPU, on_cpu, name)."""

    def __init__(self):
        super().__init__("lx-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        print("%-6s %-5s %-4s %-6s %s" % ("PID", "STATE", "CPU", "ONCPU", "NAME"))
        head = gdb.parse_and_eval("all_tasks")
        for t in list_entries(head, "struct task_struct", "tasks"):
            print("%-6d %-5s %-4d %-6d %s" %
                  (int(t["pid"]), STATES.get(int(t["state"]), "?"), int(t["cpu"]),
                   int(t["on_cpu"]), t["comm"].string()))


class RunQueue(gdb.Command):
    """lx-runqueue [CPU]: the running and queued tasks of a CPU (or all)."""

    def __init__(self):
        super().__init__("lx-runqueue", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cpus = [int(gdb.parse_and_eval(arg))] if arg.strip() else range(nr_cpu_ids())
        for cpu in cpus:
            if not cpu_in_mask("__cpu_possible_mask", cpu):
                continue
            rq = per_cpu_ptr("runqueues", cpu).dereference()
            queued = [task_str(t) for t in
                      list_entries(rq["queue"], "struct task_struct", "run_list")]
            print("CPU%d: nr_running %d, curr %s, idle %s, queued [%s]" %
                  (cpu, int(rq["nr_running"]), task_str(rq["curr"]),
                   task_str(rq["idle"]), ", ".join(queued)))


def holder(v):
    """Debug builds record the holder's CPU and where it took the lock
    (struct spin_debug, sync/spinlock_debug.h)."""
    dbg = field_or(v, "debug")
    cpu = field_or(dbg, "owner_cpu") if dbg is not None else None
    if cpu is None:
        return " (RELEASE build: no holder recorded)"
    pc = int(v["debug"]["owner_pc"])
    where = gdb.execute("info symbol %#x" % pc, to_string=True).strip() if pc else "?"
    return " by CPU%d, taken at %s" % (int(cpu), where)


def describe_spinlock(v):
    held = int(v["locked"]) != 0
    return "spinlock_t %s: %s" % (lock_name(v),
                                  "held" + holder(v) if held else "free")


def field_str(v, name):
    p = field_or(v, name) if v is not None else None
    if p is None or int(p) == 0:
        return "(unnamed)"
    return '"%s"' % p.string()


def lock_name(v):
    """Debug builds keep the lock's name in its lockdep_map."""
    return field_str(field_or(v, "dep_map"), "name")


def describe_ticket(v):
    val = int(v["t"]["val"]["counter"]) & 0xffffffff
    head, tail = val & 0xffff, val >> 16
    waiting = (tail - head) & 0xffff
    if waiting == 0:
        return "ticket lock %s: free (next ticket %d)" % (lock_name(v), tail)
    return "ticket lock %s: held%s; serving ticket %d, %d waiting" % (
        lock_name(v), holder(v), head, waiting - 1)


def describe_mutex(v):
    owner = int(v["owner"]["counter"])
    task = owner & ~7
    flags = [n for b, n in ((1, "WAITERS"), (2, "HANDOFF")) if owner & b]
    s = "mutex %s: " % lock_name(v)
    if task:
        t = gdb.Value(task).cast(gdb.lookup_type("struct task_struct").pointer())
        s += "held by %s (on CPU %d: %s)" % (
            task_str(t), int(t["cpu"]), "running" if int(t["on_cpu"]) else "not running")
    else:
        s += "free"
    if flags:
        s += " [%s]" % " ".join(flags)
    osq_tail = int(v["osq"]["tail"]["counter"])
    if osq_tail:
        s += "; spinners queued (OSQ), the last on CPU %d" % (osq_tail - 1)
    waiters = [task_str(w["task"]) for w in
               list_entries(v["wait_list"], "struct mutex_waiter", "list")]
    if waiters:
        s += "; waiting: " + ", ".join(waiters)
    return s


def describe_rwlock(v):
    c = int(v["cnts"]["counter"]) & 0xffffffff
    return "rwlock_t %s: cnts %#x (readers %d, writer bits %#x)" % (
        lock_name(v), c, c >> 8, c & 0xff)


def describe_semaphore(v):
    return "semaphore: count %d, %d sleeping" % (
        int(v["count"]),
        sum(1 for _ in list_entries(v["wait_list"], "struct sem_waiter", "list")))


DESCRIBE = {
    "spinlock": describe_spinlock, "spinlock_t": describe_spinlock,
    "ticket_spinlock": describe_ticket, "ticket_spinlock_t": describe_ticket,
    "mutex": describe_mutex, "rwlock": describe_rwlock, "rwlock_t": describe_rwlock,
    "semaphore": describe_semaphore,
}


class Lock(gdb.Command):
    """lx-lock EXPR: the state and holder of a lock (or pointer to one)."""

    def __init__(self):
        super().__init__("lx-lock", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        v = gdb.parse_and_eval(arg)
        if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
            v = v.dereference()
        t = v.type
        names = {str(t), str(t.strip_typedefs())}
        names |= {n.replace("struct ", "") for n in names}
        for n in names:
            if n in DESCRIBE:
                print(DESCRIBE[n](v))
                return
        raise gdb.GdbError("lx-lock: %s is not a lock type I know (%s)" %
                           (arg, ", ".join(sorted(DESCRIBE))))


PerCpu()
Current()
Cpus()
Ps()
RunQueue()
Lock()
print("smpkern gdb helpers: lx-cpus, lx-ps, lx-runqueue [cpu], lx-lock EXPR, "
      "$lx_per_cpu(\"var\", cpu), $lx_current(cpu)")
