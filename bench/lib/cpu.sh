# CPU accounting from /proc for the benchmark scripts (sourced, not run).

listener_pid() { # the pid listening on a local TCP port, if any
    ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1
}

pid_ticks() { # pid_ticks <pid> [all]: utime + stime (+ cutime + cstime with "all") of one process, 0 when gone
    local line rest mode="${2:-}"
    [[ -n "$1" ]] || { echo 0; return; }
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return; }
    rest="${line##*) }"
    # shellcheck disable=SC2086 # fields after "(comm) ": state ppid ... utime(12) stime(13) cutime(14) cstime(15)
    set -- $rest
    if [[ "$mode" == all ]]; then echo $((${12} + ${13} + ${14} + ${15})); else echo $((${12} + ${13})); fi
}

postgres_ticks() { # postgres_ticks <postmaster pid>: it, what its exited backends left it, and its live backends
    local pm=$1 pid sum
    [[ -n "$pm" ]] || { echo 0; return; }
    sum=$(pid_ticks "$pm" all)
    for pid in $(pgrep -P "$pm" || true); do sum=$((sum + $(pid_ticks "$pid"))); done
    echo "$sum"
}
