# Sourced by the benchmarks that count a server's CPU: `ticks PID` prints the CPU time (user + system, in
# clock ticks, getconf CLK_TCK a second) of the process and of its children now running (its parser
# workers, which verify and normalize for it).
ticks() {
    local total=0 pid
    for pid in $1 $(awk -v p="$1" '{ sub(/^.*\) /, ""); if ($2 == p) print FILENAME }' /proc/[0-9]*/stat 2>/dev/null | cut -d/ -f3); do
        total=$(( total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
    done
    echo $total
}
