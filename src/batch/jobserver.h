/* SPDX-License-Identifier: MIT */
/* The GNU make jobserver, both sides: a client that takes make's job slots for a batch
 * (jobserver-client.c), a server that offers a batch's slots to make -j inside its jobs and
 * takes back the tokens of a job that died holding them (jobserver-server.c), and the hooks the
 * scheduler calls before it starts a job and when one ends (slots.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ringfence.h"

struct engine;
struct rf_policy;

/* A job's hold on a slot: no slot, the implicit slot, or a token (the byte read for it). */
enum { JS_NONE = -1, JS_IMPLICIT = 256 };

struct js_hold {
        int byte;                    /* JS_NONE, JS_IMPLICIT, or the token byte 0..255 */
        struct js_hold *prev, *next; /* the client's list of jobs holding a token */
};

/* ---- client (jobserver-client.c) --------------------------------------------------------- */

struct js_client;

/* Connect to the jobserver the last --jobserver-auth= (or --jobserver-fds=) of makeflags names:
 * fifo:PATH (make 4.4, ninja 1.13) or R,W (inherited pipe fds, older make). Returns 1 and *ret
 * when connected; 0 when makeflags names none (warn gets a sentence when it names one that
 * cannot be used: closed fds, a missing fifo, an unknown form); -errno on failure. */
int js_client_open(const char *makeflags, struct js_client **ret, char *warn, size_t warn_size);
/* Use e's ring to read tokens. */
void js_client_attach(struct js_client *c, struct engine *e);
/* Whether a job may start now: the implicit slot is free, or a token is in hand. When not, a
 * read of one token is made pending (the engine wakes the caller when it arrives). */
bool js_client_ready(struct js_client *c);
/* Give the job h the implicit slot or a token in hand (after js_client_ready said yes). */
void js_client_take(struct js_client *c, struct js_hold *h);
/* The job h ended: write its token back (the very byte read), or, when it had the implicit
 * slot and others hold tokens, write one of theirs back and give that job the implicit slot. */
void js_client_put(struct js_client *c, struct js_hold *h);
/* Write back the tokens in hand that no job uses (when no job will start any more). */
void js_client_trim(struct js_client *c);
/* Cancel a pending read and wait for it, through e; write back every token in hand. Jobs that
 * still hold tokens must have been put back before. */
void js_client_stop(struct js_client *c, struct engine *e);
/* Tokens written back so far, and read so far. */
void js_client_counts(const struct js_client *c, uint64_t *ret_read, uint64_t *ret_returned);
void js_client_free(struct js_client *c);

/* ---- server (jobserver-server.c) --------------------------------------------------------- */

struct js_server;
struct js_job;

/* A jobserver of slots slots for a batch (the batch's own jobs each take one; make -j inside
 * them takes the rest as tokens). form: "pipe" (MAKEFLAGS --jobserver-auth=R,W, which every
 * make understands) or "fifo" (--jobserver-auth=fifo:PATH, make 4.4 and ninja 1.13). Each job
 * gets a fifo of its own in a private folder, bound into its sandbox at the same path, and the
 * server moves tokens between the jobs' fifos and its pool. Returns 0 or -errno. */
int js_server_new(int slots, const char *form, struct js_server **ret, rf_error *err);
void js_server_attach(struct js_server *s, struct engine *e);
/* Whether a free slot is there for a new job (taking back offered, unread tokens if need be). */
bool js_server_ready(struct js_server *s);
/* An attempt of job seq starts: with *ret NULL (its first), make its fifo and add to policy p
 * (the job's own copy) what the job needs to reach it: MAKEFLAGS, the fifo's folder read-write,
 * and with the pipe form its two fds; *ret is then the job's state, kept across retries. Takes
 * a slot (js_server_ready said there is one). Returns 0 or -errno. */
int js_server_job_new(struct js_server *s, uint64_t seq, struct rf_policy *p, struct js_job **ret,
                      rf_error *err);
/* Job j ended (its pidfd said so): every token it held goes back to the pool. Returns how many
 * tokens it still held. */
unsigned js_server_job_end(struct js_server *s, struct js_job *j);
/* Forget job j for good (its last attempt ended): close and remove its fifo. */
void js_server_job_free(struct js_server *s, struct js_job *j);
/* Offer tokens to the jobs whose fifo is empty (after their make read one). */
void js_server_offer(struct js_server *s);
/* No job will start any more: offer every free slot to the jobs' make. */
void js_server_idle(struct js_server *s);
/* Cancel the pending inotify read and wait for it, through e. */
void js_server_stop(struct js_server *s, struct engine *e);
void js_server_free(struct js_server *s);
