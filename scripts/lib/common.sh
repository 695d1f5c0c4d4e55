# Helpers shared by scripts/local, scripts/test, scripts/services and .ci/run. Source it; it
# defines functions only (and REPO_ROOT), and changes no shell option of its caller.
#
#   use_jdk            sets JAVA_HOME and PATH to a JDK 21 or newer, or says how to get one
#   port_open H P      true when something accepts TCP connections on H:P
#   port_holder P      "pid 123 (java ...)" for the process listening on port P, when it can tell
#   wait_until S CMD   runs CMD every 0.25 s until it succeeds or S seconds pass

REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# The JDK's major version, from its release file (fast) or from `java -version`; empty when unknown.
jdk_major() {
    local home=$1 v=""
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
    if [[ -f "$home/release" ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n1)
    fi
    if [[ -z "$v" ]]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
    fi
    v=${v#1.}
    v=${v%%[.+-]*}
    [[ "$v" =~ ^[0-9]+$ ]] && printf '%s\n' "$v"
    return 0
}

# Where JDKs are installed on Linux and macOS, and by SDKMAN!, IntelliJ and Gradle's toolchains.
jdk_candidates() {
    local d
    for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home \
        "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.gradle/jdks/*; do
        [[ -d "$d" && ! -L "$d" ]] && printf '%s\n' "$d"
    done
    return 0
}

# JAVA_HOME when it is a JDK 21 or newer; else the newest JDK 21+ installed; else javac on PATH.
# The machine's default java may be older (then Maven fails with "release version 21 not supported").
use_jdk() {
    local best="" best_major=0 home major
    if [[ -n "${JAVA_HOME:-}" ]]; then
        major=$(jdk_major "$JAVA_HOME")
        if [[ -n "$major" ]] && ((major >= 21)); then
            best=$JAVA_HOME best_major=$major
        else
            printf 'note: JAVA_HOME=%s is not a JDK 21 or newer (%s); looking for another\n' "$JAVA_HOME" \
                "${major:-no javac there}" >&2
        fi
    fi
    if [[ -z "$best" ]]; then
        while IFS= read -r home; do
            major=$(jdk_major "$home")
            if [[ -n "$major" ]] && ((major >= 21 && major > best_major)); then
                best=$home best_major=$major
            fi
        done < <(jdk_candidates)
    fi
    if [[ -z "$best" ]] && command -v javac >/dev/null; then
        home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
        major=$(jdk_major "$home")
        if [[ -n "$major" ]] && ((major >= 21)); then best=$home best_major=$major; fi
    fi
    if [[ -z "$best" ]]; then
        printf '%s\n' "error: no JDK 21 or newer found (the build targets Java 21)." \
            "  Looked at JAVA_HOME, /usr/lib/jvm, /usr/java, /opt/java, /Library/Java/JavaVirtualMachines," \
            "  ~/.sdkman/candidates/java, ~/.jdks and the javac on PATH." \
            "  Install one (Eclipse Temurin 21 or newer, or your system's openjdk-21-jdk package)," \
            "  then run this again, or point JAVA_HOME at it." >&2
        return 1
    fi
    export JAVA_HOME=$best
    export PATH="$JAVA_HOME/bin:$PATH"
    # Maven 3.8's own guava uses sun.misc.Unsafe, which JDK 23+ warns about on every run
    if ((best_major >= 23)) && [[ -z "${MAVEN_OPTS:-}" ]]; then
        export MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow
    fi
    JDK_MAJOR=$best_major
}

# TCP connect with a 1 s limit (bash's /dev/tcp; no nc needed).
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# Who listens on a port, for error messages: "pid 123 (java)"; empty when it cannot tell.
port_holder() {
    local port=$1 line pid
    command -v ss >/dev/null || return 0
    line=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -n1)
    pid=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line" | head -n1)
    if [[ -n "$pid" ]]; then
        printf 'pid %s (%s)\n' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80 | sed 's/ *$//')"
    fi
    return 0
}

# wait_until <seconds> <command...>: poll every 0.25 s.
wait_until() {
    local limit=$1; shift
    local deadline=$((SECONDS + limit))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.25
    done
}

# The HTTP status of GET http://HOST:PORT/PATH (HTTP/1.0, bash's /dev/tcp, 5 s); 000 when nothing answers.
http_status() {
    local host=$1 port=$2 path=$3 status
    status=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3 \
        && read -r _ status _ <&3 && printf "%s" "$status"' "$host" "$port" "$path" 2>/dev/null) || status=000
    printf '%s\n' "${status:-000}"
}
