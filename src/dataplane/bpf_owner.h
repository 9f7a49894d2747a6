/*
 * bpf_owner.h — who loaded a TC program: the PID and start time a loader
 * records in an owner map bound to its programs, so that a later run can
 * tell a dead instance's filters (kill -9 leaves them attached) from a
 * live one's.  A PID alone is not enough: PIDs are reused.
 */
#ifndef VPDN_DATAPLANE_BPF_OWNER_H
#define VPDN_DATAPLANE_BPF_OWNER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A process's start time (/proc/PID/stat field 22, proc(5)); 0 or -1. */
int bpf_owner_start_time(pid_t pid, uint64_t *start);
/* Does the process that started at `start` as `pid` still run? */
bool bpf_owner_alive(uint32_t pid, uint64_t start);
/* Finds the map named `map_name` (value: u32 pid, u32 pad, u64 start)
 * among a program's maps and reads its entry 0; 0 or -1. */
int bpf_owner_of_prog(int prog_fd, const char *map_name, uint32_t *pid,
    uint64_t *start);

#endif
