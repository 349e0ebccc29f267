/*
 * task.c: the table of traced threads and their address spaces.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "task.h"

struct task *task_find(struct task_table *t, pid_t pid)
{
    size_t i;

    for ( i = 0; i < t->nr; i++ )
        if ( t->tasks[i].pid == pid )
            return &t->tasks[i];
    return NULL;
}

struct task *task_add(struct task_table *t, pid_t pid)
{
    struct task *task = task_find(t, pid);

    if ( task )
        return task;
    if ( t->nr == t->cap )
    {
        size_t cap = t->cap ? t->cap * 2 : 8;
        struct task *n = realloc(t->tasks, cap * sizeof(*n));

        if ( !n )
            return NULL;
        t->tasks = n;
        t->cap = cap;
    }
    task = &t->tasks[t->nr++];
    memset(task, 0, sizeof(*task));
    task->pid = pid;
    return task;
}

void task_remove(struct task_table *t, pid_t pid)
{
    struct task *task = task_find(t, pid);

    if ( !task )
        return;
    if ( task->space )
        space_put(task->space);
    *task = t->tasks[--t->nr];
}

static int open_mem(pid_t pid)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
    return open(path, O_RDWR | O_CLOEXEC);
}

struct space *space_open(pid_t pid)
{
    struct space *s = calloc(1, sizeof(*s));

    if ( !s )
        return NULL;
    s->refs = 1;
    s->mem_fd = open_mem(pid);
    if ( s->mem_fd < 0 )
    {
        perror("vmport-host: open /proc/PID/mem");
        free(s);
        return NULL;
    }
    return s;
}

struct space *space_copy(const struct space *parent, pid_t child)
{
    struct space *s = space_open(child);

    if ( !s )
        return NULL;
    if ( parent->nr_bps )
    {
        s->bps = malloc(parent->nr_bps * sizeof(*s->bps));
        if ( !s->bps )
            goto err;
        memcpy(s->bps, parent->bps, parent->nr_bps * sizeof(*s->bps));
        s->nr_bps = s->bps_cap = parent->nr_bps;
    }
    if ( parent->nr_maps )
    {
        s->maps = malloc(parent->nr_maps * sizeof(*s->maps));
        if ( !s->maps )
            goto err;
        memcpy(s->maps, parent->maps, parent->nr_maps * sizeof(*s->maps));
        s->nr_maps = parent->nr_maps;
    }
    return s;

 err:
    space_put(s);
    return NULL;
}

struct space *space_get(struct space *s)
{
    s->refs++;
    return s;
}

void space_put(struct space *s)
{
    if ( --s->refs )
        return;
    if ( s->mem_fd >= 0 )
        close(s->mem_fd);
    free(s->bps);
    free(s->maps);
    free(s);
}
