/* SPDX-License-Identifier: MIT */
/* libringfence: run untrusted commands in a sandbox that denies by default.
 *
 * Conventions: functions that can fail return 0 (or a count) on success and a negative errno on
 * failure, and fill the optional rf_error with one sentence for a person. They never print: the
 * few lines the library has for a person (a batch's progress, a skipped job) go to the log
 * handler (rf_set_log_handler).
 *
 * The pattern of use, in its three shapes (whole programs in examples/, built and run by make
 * check; each builds with `cc x.c $(pkg-config --cflags --libs ringfence)`).
 *
 * One command in a sandbox, as `ringfence run` (examples/run-one.c):
 *
 *      char *argv[] = { "sh", "-c", "echo hello", NULL };
 *      rf_error err = { 0 };
 *      rf_result res;
 *      rf_policy *p = rf_policy_new_default(&err);     // the embedded policy: defaults deny
 *
 *      if (!p || rf_policy_set(p, "limit.timeout", "10s", "main.c", &err) < 0)
 *              errx(125, "%s", err.msg);               // what was wrong, for a person
 *      if (rf_run(p, argv, NULL, &res, &err) < 0)      // NULL: our stdin, stdout and stderr
 *              warnx("%s", err.msg);                   // res is then a spawn-error result
 *      printf("%s, exit status %d\n", rf_status_name(res.status), res.exit_status);
 *      rf_policy_free(p);
 *      return res.exit_status;                         // as `ringfence run` would exit
 *
 * Many commands, each in a sandbox of its own, several at a time (examples/batch-args.c):
 *
 *      char *command[] = { "gzip", "-k", "{}", NULL }; // {}: the job's argument
 *      char *files[] = { "a.txt", "b.txt", "c.txt", NULL };
 *      rf_batch_options o;
 *      rf_batch_summary sum;
 *
 *      rf_batch_options_init(&o);                      // as many jobs at once as cores
 *      o.input = RF_BATCH_ARGS;
 *      o.arg_groups[0] = files;                        // a job per file
 *      o.n_arg_groups = 1;
 *      o.command = command;
 *      o.json_path = "results.jsonl";                  // a result record per job
 *      if (rf_batch_run(p, &o, &sum, &err) < 0)        // p as above
 *              errx(125, "%s", err.msg);
 *      printf("%llu of %llu ok\n", (unsigned long long)sum.ok, (unsigned long long)sum.total);
 *      return sum.exit_status;
 *
 * C functions of the caller's on worker threads, without a sandbox (examples/worker-thread.c):
 *
 *      static int task(void *arg) { ...; return result; } // on a worker thread
 *      static void done(void *arg, int result) { ... }  // on the pool's thread, in rf_pool_wait
 *
 *      rf_pool *pool;
 *
 *      if (rf_pool_new(0, &pool, &err) < 0)            // 0: a thread per core
 *              errx(1, "%s", err.msg);
 *      for (size_t i = 0; i < n; i++)
 *              if (rf_pool_submit(pool, task, done, &args[i], &err) < 0)
 *                      errx(1, "%s", err.msg);
 *      while (rf_pool_pending(pool) > 0)
 *              rf_pool_wait(pool, -1, NULL);           // sleeps, then runs done functions
 *      rf_pool_free(pool);
 *
 * Messages between two threads or two processes over shared memory: rf_ring below
 * (examples/ring.c). */
#ifndef RINGFENCE_H
#define RINGFENCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RF_BUILDING_LIBRARY)
#define RF_EXPORT __attribute__((visibility("default")))
#else
#define RF_EXPORT
#endif

/* An error: code is a negative errno, msg a sentence that says what, where, and what was
 * expected. Callers may pass NULL wherever an rf_error * is taken. */
typedef struct rf_error {
        int code;
        char msg[256];
} rf_error;

/* The text of errno code (positive or negative). Never NULL. */
RF_EXPORT const char *rf_strerror(int code);

/* The library's version, e.g. "0.1.0". */
RF_EXPORT const char *rf_version(void);

/* A policy: everything a sandbox is made of (namespaces, filesystem, network, identity,
 * environment, fds, limits, seccomp). Opaque; owned by the caller. */
typedef struct rf_policy rf_policy;

/* A new policy holding the embedded default policy (defaults deny). Returns NULL and fills err
 * only if the embedded policy cannot be built. Free with rf_policy_free. */
RF_EXPORT rf_policy *rf_policy_new_default(rf_error *err);

/* Free p (NULL is fine). Returns NULL. */
RF_EXPORT rf_policy *rf_policy_free(rf_policy *p);

/* Set one setting, as `--set KEY=VALUE` would; later settings override earlier ones, and list
 * settings (fs.rw, env.pass, ...) append. A relative fs.* path is taken from the working
 * directory (lexically, no links followed), where a policy file refuses it. origin (may be NULL)
 * says where the setting came from, for error messages. Returns 0 or -EINVAL with err naming key
 * and value. */
RF_EXPORT int rf_policy_set(rf_policy *p, const char *key, const char *value, const char *origin,
                            rf_error *err);

/* What happened to a job, as in the "status" field of a result record. */
typedef enum rf_status {
        RF_STATUS_OK,          /* exited 0 */
        RF_STATUS_FAILED,      /* exited non-zero, or a limit other than time stopped it */
        RF_STATUS_SIGNALED,    /* a signal ended it */
        RF_STATUS_TIMEOUT,     /* the wall-clock limit ended it */
        RF_STATUS_VIOLATION,   /* the policy ended it for a refused system call */
        RF_STATUS_SPAWN_ERROR, /* it could not be started */
        RF_STATUS_SKIPPED,     /* it was not run */
        _RF_STATUS_MAX
} rf_status;

/* The name of status as written in records ("ok", "failed", ...). */
RF_EXPORT const char *rf_status_name(int status);

#define RF_MAX_VIOLATIONS 16

/* One refused system call: its name, how often, what the policy did ("errno", "kill"), and the
 * policy rule that refused it (where it came from, e.g. "default policy: ptrace"). */
typedef struct rf_violation {
        char syscall[32];
        int32_t nr;
        uint32_t count;
        char action[16];
        char rule[64];
} rf_violation;

/* The result of one job. Plain data, filled by rf_run. Sizes in bytes, times in microseconds. */
typedef struct rf_result {
        int32_t status;      /* an rf_status */
        int32_t exit_status; /* what `ringfence run` exits with: the command's status, 128+N, 124,
                              * 125, 126 or 127 (DESIGN.md) */
        int32_t exit_code;   /* the command's exit code, or -1 */
        int32_t signal;      /* the signal that ended it, or 0 */
        char limit[16];      /* the limit that stopped it ("memory", "pids", "output", "time",
                              * "cpu-time", "file-size"), or "" */
        /* exit_status is 124 for "time" and "cpu-time" */
        char error[256]; /* why it could not start, or "" */
        int64_t start_unix_us;
        uint64_t wall_us, user_us, sys_us;
        uint64_t peak_memory;
        uint64_t stdout_bytes, stderr_bytes;
        int32_t output_truncated;
        int32_t n_violations;
        uint32_t violations_total;
        rf_violation violations[RF_MAX_VIOLATIONS];
        /* which mechanism enforced each limit: "cgroup-v2", "cgroup-v1", "rlimit", "host" (the
         * supervisor: time and output), or "" when the limit was not set */
        char enforced_memory[12], enforced_pids[12], enforced_cpu[12], enforced_files[12],
                enforced_file_size[12], enforced_time[12], enforced_output[12];
} rf_result;

/* How rf_run runs a job. Zero-initialise, then set what you need; fds of -1 (or a NULL options
 * pointer) mean the caller's own 0, 1 and 2 and no forwarding. */
typedef struct rf_run_options {
        int stdin_fd, stdout_fd, stderr_fd; /* the job's 0, 1 and 2; -1: the caller's own */
        int signal_fd;        /* a signalfd: each signal read from it is forwarded to the job */
        int32_t count_output; /* relay stdout and stderr through the host to count their bytes */
} rf_run_options;

/* Initialise opts to the defaults (the caller's stdio, no forwarding, no counting). */
RF_EXPORT void rf_run_options_init(rf_run_options *opts);

/* Run argv[0] with argv in a sandbox made from p, wait for it, and fill *ret. Returns 0 once the
 * job has a result (also one that could not start: see ret->status and ret->error), or a negative
 * errno when ringfence itself could not work (err says why; *ret is then a spawn-error result
 * with exit_status 125). */
RF_EXPORT int rf_run(const rf_policy *p, char *const argv[], const rf_run_options *opts,
                     rf_result *ret, rf_error *err);

/* Format r as one JSON line (no trailing newline) into a new string the caller frees. job and
 * attempt number the record; argv is the command. Returns 0 or -ENOMEM. */
RF_EXPORT int rf_result_to_json(const rf_result *r, uint64_t job, uint32_t attempt,
                                char *const argv[], char **ret_json);

/* ---- batches ------------------------------------------------------------------------ */

/* Where a batch's jobs come from. */
enum { RF_BATCH_ARGS, RF_BATCH_LINES, RF_BATCH_JSONL };
/* --halt: when to stop. */
enum { RF_HALT_NEVER, RF_HALT_NOW, RF_HALT_SOON };

/* A batch: zero-initialise with rf_batch_options_init, then set what you need. Strings and
 * vectors are borrowed for the duration of rf_batch_run. */
typedef struct rf_batch_options {
        int32_t jobs;         /* in flight at once; 0: as many as the limits allow */
        int32_t input;        /* RF_BATCH_ARGS, RF_BATCH_LINES or RF_BATCH_JSONL */
        char **arg_groups[8]; /* ARGS: NULL-terminated groups (::: a b c), cross product */
        int32_t n_arg_groups;
        const char *input_path;  /* LINES, JSONL: a file, or NULL for stdin */
        int32_t nul;             /* LINES: NUL-separated */
        char **command;          /* the command template (NULL-terminated), or NULL */
        int32_t keep_order;      /* print each job's output in input order */
        int32_t line_buffer;     /* pass output line by line as it comes, not grouped */
        int32_t tag;             /* prefix each output line with the job's input and a tab */
        const char *results_dir; /* DIR/<seq>/stdout, stderr, record.json */
        uint32_t retries;        /* run a failed job again, up to this many more times */
        int32_t halt;            /* RF_HALT_* */
        int32_t halt_on_success; /* halt counts successes instead of failures */
        uint32_t halt_count;     /* halt after this many (0: use halt_percent) */
        uint32_t halt_percent;   /* ... or this percentage of the jobs done so far (0-100) */
        const char *json_path;   /* one result record per line */
        const char *joblog_path; /* GNU parallel's joblog */
        int32_t resume;          /* skip jobs with a record in json_path or joblog_path */
        int32_t resume_failed;   /* ... but run the failed ones again */
        int32_t dry_run;         /* print the commands, run nothing */
        int32_t progress;        /* a progress bar on stderr */
        int signal_fd;           /* a signalfd: INT/TERM stop the batch (twice: at once) */
        int32_t skip_bad_input;  /* a malformed input of a file is skipped with a record when its
                                  * turn comes (0: the file is read ahead and a malformed line
                                  * stops the batch before anything starts) */
} rf_batch_options;

/* What a batch did. */
typedef struct rf_batch_summary {
        uint64_t total, ok, failed, timed_out, violations, skipped, spawn_errors, resumed;
        uint64_t wall_us;
        int32_t interrupted; /* stopped by a signal */
        int32_t halted;      /* stopped by --halt */
        int32_t exit_status; /* 0, the number of failed jobs capped at 100, or 125 */
} rf_batch_summary;

/* Defaults: jobs = the number of cores, input from stdin lines, no signal fd. */
RF_EXPORT void rf_batch_options_init(rf_batch_options *o);

/* Run a batch: every job in its own sandbox under p, output grouped per job on our stdout and
 * stderr (or as o says), one record per job. Returns 0 when the batch ran (*ret says how it
 * went), or a negative errno when it could not (err says why: bad input file, results file not
 * writable, no io_uring...); a batch that stops on a write error returns -errno too, after every
 * record already written. */
RF_EXPORT int rf_batch_run(const rf_policy *p, const rf_batch_options *o, rf_batch_summary *ret,
                           rf_error *err);

/* ---- policy files (ringfence.policy(5)) -------------------------------------------- */

/* Apply what spec names onto p: "default" (the embedded default) or "none" (no sandbox at all:
 * no namespaces, the host network, the caller's identity, every system call allowed), which
 * replace all of p; a NAME (no slash, no .policy or .json suffix), read from the installed
 * policy directory, then from ./policies; a policy FILE; or a FILE.json Docker/OCI seccomp
 * profile, which replaces p's seccomp part. Returns 0 or -errno with err as "FILE:LINE:COLUMN:
 * what was wrong, expected what"; p may be partly changed on failure. */
RF_EXPORT int rf_policy_load(rf_policy *p, const char *spec, rf_error *err);

/* Check the policy spec names (as rf_policy_load, onto the default) and compile it. Returns 0
 * or -errno with err as rf_policy_load's. ret_rules and ret_insns (may be NULL) get its number
 * of seccomp rules and of BPF instructions. */
RF_EXPORT int rf_policy_check(const char *spec, size_t *ret_rules, size_t *ret_insns,
                              rf_error *err);

/* The effective policy of spec, then sets (a NULL-terminated list of "KEY=VALUE", may be NULL)
 * applied as --set would, as policy text: one `key = value` per line with a `# from ORIGIN`
 * comment, loadable again. *ret_text is the caller's (free()). Returns 0 or -errno. */
RF_EXPORT int rf_policy_show(const char *spec, char *const *sets, char **ret_text, rf_error *err);

/* What rf_policy_explain found. */
enum { RF_EXPLAIN_ALLOWED, RF_EXPLAIN_REFUSED, RF_EXPLAIN_DEPENDS };

/* Whether spec's policy allows the system call syscall, and by which line, in words in
 * *ret_text (the caller's, free()). args (NULL-terminated numbers or constant names such as
 * TIOCSTI, may be NULL) are its arguments from arg0; without them conditional rules are listed.
 * Returns RF_EXPLAIN_ALLOWED, RF_EXPLAIN_REFUSED or RF_EXPLAIN_DEPENDS (conditional rules
 * decide, no args given), or -errno. */
RF_EXPORT int rf_policy_explain(const char *spec, const char *syscall, char *const *args,
                                char **ret_text, rf_error *err);

/* spec's compiled seccomp filter, one BPF instruction per line with what it does, for review:
 * the notify program (refusals that are reported go to the host), or with kill != 0 the
 * fallback program that kills instead. *ret_text is the caller's (free()). Returns 0 or
 * -errno. */
RF_EXPORT int rf_policy_bpf_text(const char *spec, int kill, char **ret_text, rf_error *err);

/* The i-th named group of system calls ("@file-system") from 0, or NULL past the last.
 * ret_description and ret_members (may be NULL) get its description and its NULL-terminated
 * members: system calls, or other groups by name. All are static. */
RF_EXPORT const char *rf_syscall_group(size_t i, const char **ret_description,
                                       const char *const **ret_members);

/* ---- rings ------------------------------------------------------------------------- */

/* A lock-free single-producer/single-consumer ring of variable-length messages, over memory of
 * the caller's or a sealed memfd shared with another process, whose bytes are checked as if
 * the peer were hostile. */

/* A ring of messages between one producer and one consumer: two threads sharing a handle, or two
 * processes each with a handle on the same memfd. Opaque; owned by the caller. When another
 * process shares the ring, everything it writes is checked: corruption makes the call fail with
 * -EBADMSG and a sentence, and every later call on the handle fails the same way. */
typedef struct rf_ring rf_ring;

/* A message's header: len payload bytes follow it. type and flags are the caller's (type 0xffff
 * is reserved); job says which job the message is about. */
typedef struct rf_ring_msg {
        uint32_t len;
        uint16_t type;
        uint16_t flags;
        uint64_t job;
} rf_ring_msg;

/* System calls a ring made to sleep and to wake, both sides together. */
typedef struct rf_ring_stats {
        uint64_t wakes;  /* FUTEX_WAKE calls or eventfd writes */
        uint64_t sleeps; /* FUTEX_WAIT calls, or eventfd polls and reads */
} rf_ring_stats;

#define RF_RING_SHARED 1 /* rf_ring_new: the memory is shared with another process */
#define RF_RING_MORE 1   /* rf_ring_push, rf_ring_pop: more follow, publish later (batching) */
#define RF_RING_READER 1 /* the side that pops: it waits for messages */
#define RF_RING_WRITER 2 /* the side that pushes: it waits for room */

/* Lay out a new, empty ring in mem (size bytes, 8-byte aligned; the caller's, and it must outlive
 * the ring), with the largest power-of-two capacity that fits after a 1 KiB header. flags may be
 * RF_RING_SHARED. *ret is a new handle to free with rf_ring_free. Returns 0 or -EINVAL. */
RF_EXPORT int rf_ring_new(void *mem, size_t size, int flags, rf_ring **ret, rf_error *err);

/* A new ring of capacity bytes (a power of two from 256 to 1 GiB) in a memfd sealed against
 * shrinking and growing. *ret is the handle; *ret_fd the memfd (close-on-exec, the caller's to
 * close, also while the ring is in use) for another process to pass to rf_ring_attach_fd.
 * Returns 0, -EINVAL, or the errno of memfd_create, ftruncate, fcntl or mmap. */
RF_EXPORT int rf_ring_new_memfd(uint32_t capacity, rf_ring **ret, int *ret_fd, rf_error *err);

/* Map the ring in memfd fd, made by rf_ring_new_memfd here or in another process (the caller
 * keeps fd). Returns 0; -EPERM when fd is not a memfd sealed against shrinking; -EBADMSG when
 * its header or positions are not a ring's. */
RF_EXPORT int rf_ring_attach_fd(int fd, rf_ring **ret, rf_error *err);

/* Free r and unmap what it mapped (not memory given to rf_ring_new). NULL is fine. Returns NULL. */
RF_EXPORT rf_ring *rf_ring_free(rf_ring *r);

/* The largest payload one message may have: a little under half the capacity. */
RF_EXPORT uint32_t rf_ring_max_message(const rf_ring *r);

/* Writer: copy a message (hdr, then hdr->len bytes from data) into r and publish it, waking a
 * sleeping reader. With RF_RING_MORE it is published by the next push without it or by
 * rf_ring_flush, so that a batch costs one publication. Returns 0; -EAGAIN when there is no room
 * (see rf_ring_wait); -EMSGSIZE when hdr->len is over rf_ring_max_message; -EINVAL; -EBADMSG. */
RF_EXPORT int rf_ring_push(rf_ring *r, const rf_ring_msg *hdr, const void *data, int flags,
                           rf_error *err);

/* Reader: take the next message: *ret_hdr gets its header, buf (size bytes) its payload, and its
 * room goes back to the writer (with RF_RING_MORE, later: at the next pop without it, at
 * rf_ring_flush or rf_ring_wait). Returns 0; -EAGAIN when there is none; -EMSGSIZE when it does
 * not fit into buf (*ret_hdr says how big it is; it stays in the ring); -EBADMSG. */
RF_EXPORT int rf_ring_pop(rf_ring *r, rf_ring_msg *ret_hdr, void *buf, size_t size, int flags,
                          rf_error *err);

/* Publish what side (RF_RING_WRITER: pushed messages; RF_RING_READER: room of popped ones) left
 * pending with RF_RING_MORE. Returns 0 or -EBADMSG. */
RF_EXPORT int rf_ring_flush(rf_ring *r, int side, rf_error *err);

/* Wait until side can go on: RF_RING_READER until a message is there, RF_RING_WRITER until a
 * message of len payload bytes fits. Spins a little first (rf_ring_set_spin), then sleeps on a
 * futex (or the eventfd given to rf_ring_set_eventfd). Flushes the side first. Returns 0 when it
 * can go on or was woken by rf_ring_wake (check again), -ETIMEDOUT after timeout_us (< 0: no
 * limit), -EBADMSG. */
RF_EXPORT int rf_ring_wait(rf_ring *r, int side, uint32_t len, int64_t timeout_us, rf_error *err);

/* Wake side if it sleeps in rf_ring_wait, whether or not it can go on (say, to stop it). Pushes
 * and pops wake the other side by themselves. Returns 0 or a negative errno. */
RF_EXPORT int rf_ring_wake(rf_ring *r, int side);

/* Make side sleep on eventfd fd (the caller keeps it; -1: the futex again) and the other side
 * wake it by writing it, so that an event loop can watch fd. Call before the ring is in use;
 * in two processes, each hands its own copy of the eventfd to its own handle. Returns 0 or
 * -EINVAL. */
RF_EXPORT int rf_ring_set_eventfd(rf_ring *r, int side, int fd);

/* How long rf_ring_wait spins before it sleeps (default 20 µs, about what a wake-up costs; 0:
 * never spin). Call before the ring is in use. Returns 0 or -EINVAL. */
RF_EXPORT int rf_ring_set_spin(rf_ring *r, uint32_t spin_us);

/* Fill *ret with the system calls r made so far to sleep and wake. Returns 0 or -EINVAL. */
RF_EXPORT int rf_ring_get_stats(rf_ring *r, rf_ring_stats *ret);

/* ---- worker threads ------------------------------------------------------------------ */

/* A pool of worker threads that run C functions of the caller's (Node's worker-thread model):
 * no isolation (a task that crashes takes the process down), the cheapest way to run work on
 * every core. Each worker has a request and a reply ring of its own and sleeps when idle.
 * Opaque; owned by the thread that made it, the only one that may submit and wait. */
typedef struct rf_pool rf_pool;

/* A task, run on a worker thread; what it returns goes to its done function. */
typedef int (*rf_task_fn)(void *arg);
/* Called once per task on the owner's thread, from rf_pool_wait or rf_pool_free, with what the
 * task returned, or -ECANCELED when rf_pool_free came before the task started. */
typedef void (*rf_task_done_fn)(void *arg, int result);

/* A pool of nthreads workers (0: one per core the process may run on; at most 1024). Workers
 * block every signal. *ret is freed with rf_pool_free. Returns 0, -EINVAL, or the errno of
 * eventfd or pthread_create. */
RF_EXPORT int rf_pool_new(int nthreads, rf_pool **ret, rf_error *err);

/* Queue fn(arg) to run on a worker; done(arg, result) runs later on this thread, inside
 * rf_pool_wait (or rf_pool_free). arg is the caller's and must live until done. Tasks may run in
 * any order and at the same time. Never blocks: when every worker has enough, the task waits in
 * the pool. Returns 0; -EINVAL (NULL p, fn or done); -EPERM from another thread than the owner;
 * -ESHUTDOWN from a done function that rf_pool_free called. */
RF_EXPORT int rf_pool_submit(rf_pool *p, rf_task_fn fn, rf_task_done_fn done, void *arg,
                             rf_error *err);

/* Run the done functions of the tasks finished so far; when none has finished, sleep until one
 * does or timeout_ms pass (< 0: no limit; 0: don't sleep). Done functions may submit more tasks.
 * Returns how many done functions ran: 0 when the time ran out or no task is pending; -EINVAL;
 * -EPERM from another thread than the owner. */
RF_EXPORT int rf_pool_wait(rf_pool *p, int timeout_ms, rf_error *err);

/* Tasks submitted whose done function has not run yet (0 for NULL). */
RF_EXPORT size_t rf_pool_pending(const rf_pool *p);

/* The number of worker threads (0 for NULL). */
RF_EXPORT int rf_pool_threads(const rf_pool *p);

/* Stop and free p (NULL is fine), from the owner's thread, not from a done function: tasks not
 * started yet do not run (their done gets -ECANCELED), running ones finish, every pending done
 * function runs before it returns, and the threads are joined. Returns NULL. */
RF_EXPORT rf_pool *rf_pool_free(rf_pool *p);

/* ---- batches with make and across machines: the jobserver, shards, merging -------- */

/* How a batch shares: make's job slots, its own slots with make -j inside its jobs, a shard of
 * a cluster's job array. Initialise with rf_batch_share_init. Strings are borrowed. */
typedef struct rf_batch_share {
        /* client: join the GNU make jobserver the last --jobserver-auth= of this MAKEFLAGS
         * value names (fifo:PATH or R,W); NULL: none */
        const char *makeflags;
        /* server: offer the batch's -j slots to make -j inside the jobs ("pipe": MAKEFLAGS
         * --jobserver-auth=R,W, every make; "fifo": fifo:PATH, make 4.4 and ninja 1.13);
         * NULL: no jobserver for the jobs */
        const char *jobserver;
        /* run only the jobs whose key falls into shard shard_index of shard_count (0: all) */
        uint32_t shard_index, shard_count;
        /* filled by rf_batch_run_shared: */
        char warning[256];         /* why a jobserver MAKEFLAGS names was not used, or "" */
        uint64_t tokens_read;      /* client: tokens taken from make */
        uint64_t tokens_returned;  /* client: ... and given back (equal when all went back) */
        uint64_t tokens_reclaimed; /* server: tokens put back from jobs that ended holding them */
        uint64_t input_jobs;       /* with shards: jobs in the whole input */
        uint64_t shard_jobs;       /* ... of which in this shard */
} rf_batch_share;

/* No jobserver, no shards. */
RF_EXPORT void rf_batch_share_init(rf_batch_share *s);

/* rf_batch_run, sharing as s says (NULL: as rf_batch_run). With shards, each record carries
 * the job's "key" (16 hex digits: xxh3-64 of its input, see ringfence-batch(1)) and "shard"
 * ("I/N"), and a batch that read its whole input ends the --json file with one line
 * {"shard_end": {"shard": "I/N", "input_jobs": M, "shard_jobs": K, "keys_sum": "..."}} for
 * rf_results_merge. Returns as rf_batch_run. */
RF_EXPORT int rf_batch_run_shared(const rf_policy *p, const rf_batch_options *o, rf_batch_share *s,
                                  rf_batch_summary *ret, rf_error *err);

/* Which shard this is, from spec: "I/N" (0 <= I < N; HTCondor: "$(Process)/N"), or "auto":
 * Slurm job arrays (SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT, or _MIN and _MAX, and
 * _STEP), Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX, with the count from count or the
 * environment variable RINGFENCE_SHARDS). count (0: none) gives N where the environment does
 * not. Returns 0 or -EINVAL with err saying what was missing or wrong. */
RF_EXPORT int rf_shard_parse(const char *spec, uint32_t count, uint32_t *ret_index,
                             uint32_t *ret_count, rf_error *err);

/* What rf_results_merge found. */
typedef struct rf_merge_report {
        uint64_t records;    /* job records written */
        uint64_t duplicates; /* records of a job that had one already (left out) */
        uint64_t missing;    /* jobs of the input without a record */
        uint32_t shards;     /* N of the shards seen (0: records without shards) */
        /* shards without their shard_end line */
        uint32_t shards_unfinished;
        char *text; /* what is wrong, one sentence per line, for a person; the
                     * caller frees it; NULL when nothing is */
} rf_merge_report;

/* Join the JSON-lines result files paths[0..n-1] (the shards of one batch) into one on out_fd:
 * every job record once, in the order read; check that every shard finished and that every job
 * of the input is there exactly once, and say in ret->text which are missing or repeated.
 * Returns 0 when the files could be read (ret says whether all is there), or -errno (a file
 * that cannot be read, a line that is not JSON: err says file and line). */
RF_EXPORT int rf_results_merge(const char *const *paths, size_t n, int out_fd, rf_merge_report *ret,
                               rf_error *err);

/* ---- log lines ------------------------------------------------------------------------ */

/* What a line the library has for a person is (syslog's numbers for the first three). */
enum {
        RF_LOG_ERROR = 3,    /* the library itself failed: "ringfence: out of memory" */
        RF_LOG_WARNING = 4,  /* a batch went other than asked: a job skipped, tokens taken back */
        RF_LOG_NOTICE = 5,   /* what a batch was asked for: the jobs running (SIGUSR1), its last
                              * progress line */
        RF_LOG_PROGRESS = 16 /* a batch's progress line, drawn in place of the one before; ""
                              * takes that one away (see rf_set_log_handler) */
};

/* Called with each line (without a newline), its RF_LOG_* level, and the user pointer given to
 * rf_set_log_handler. It may be called from any thread of the library, and with RF_LOG_ERROR
 * from a thread that is about to abort. */
typedef void (*rf_log_fn)(int level, const char *line, void *user);

/* Send the library's lines to fn, with user, from now on (for the whole process; set it before
 * anything runs). NULL restores the default, which writes each line to stderr followed by a
 * newline, and a RF_LOG_PROGRESS line after "\r\033[K" (go back and clear the line) without
 * one. The library prints nothing otherwise. */
RF_EXPORT void rf_set_log_handler(rf_log_fn fn, void *user);

#ifdef __cplusplus
}
#endif
#endif
