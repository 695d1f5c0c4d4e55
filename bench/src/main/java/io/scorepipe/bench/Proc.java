package io.scorepipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Readings from /proc: a process's resident memory and CPU ticks, and the whole machine's CPU ticks. */
final class Proc {

    private Proc() {
    }

    /** VmRSS in kB, -1 when the process is gone. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // gone
        }
        return -1;
    }

    /** utime + stime in clock ticks, -1 when the process is gone. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    /** {busy, total} ticks of the whole machine. */
    static long[] machineTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        busy += Long.parseLong(f[i]);
                    }
                    return new long[] {busy, busy + Long.parseLong(f[4]) + Long.parseLong(f[5])};
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // not Linux
        }
        return new long[] {0, 0};
    }
}
