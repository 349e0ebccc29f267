/*
 * stress_parallel.c: --parallel N, several guests migrating at once.
 *
 * N threads each take a guest nobody is migrating (one whose host already
 * froze it first) and migrate it, while the other guests run on their own
 * hosts.  The threads share the driver's state under one lock, which a
 * thread gives up only while it sleeps; every wait of this driver is a
 * bounded poll that sleeps through stress_sleep_us(), so the migrations
 * overlap wherever they wait on processes (hosts, vmport-state, gnuplot),
 * and the counters need no other care.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;

void stress_lock(void)
{
    pthread_mutex_lock(&big_lock);
}

void stress_unlock(void)
{
    pthread_mutex_unlock(&big_lock);
}

void stress_sleep_us(unsigned int us)
{
    stress_unlock();
    usleep(us);
    stress_lock();
}

int stress_poll(struct pollfd *fds, unsigned int nr, int ms)
{
    int rc;

    stress_unlock();
    rc = poll(fds, nr, ms);
    stress_lock();
    return rc;
}

struct par {
    struct guest *gs;
    unsigned int nr, turn;
    bool (*stop)(void);
};

static bool host_exited(const struct guest *g)
{
    siginfo_t si = { 0 };

    return g->host > 0 &&
           !waitid(P_PID, g->host, &si, WEXITED | WNOHANG | WNOWAIT) &&
           si.si_pid == g->host;
}

/* A guest no thread is migrating, frozen ones first; NULL if none. */
static struct guest *pick(struct par *p, bool *all_done)
{
    struct guest *any = NULL;
    unsigned int k;

    *all_done = true;
    for ( k = 0; k < p->nr; k++ )
    {
        struct guest *g = &p->gs[(p->turn + k) % p->nr];

        if ( g->done )
            continue;
        *all_done = false;
        if ( g->busy )
            continue;
        if ( host_exited(g) )
            return g;
        if ( !any )
            any = g;
    }
    p->turn++;
    return any;
}

static void *worker(void *arg)
{
    struct par *p = arg;

    stress_lock();
    while ( !p->stop() )
    {
        bool all_done;
        struct guest *g = pick(p, &all_done);

        if ( all_done )
            break;
        if ( !g )
        {
            stress_sleep_us(2000);
            continue;
        }
        g->busy = true;
        migrate_guest(g);
        g->busy = false;
    }
    stress_unlock();
    return NULL;
}

/*
 * Migrate @nr guests with @threads threads until @stop() says so (called
 * with the lock held).  The caller holds the lock; it is released while
 * the threads run.
 */
int run_parallel(struct guest *gs, unsigned int nr, unsigned int threads,
                 bool (*stop)(void))
{
    struct par p = { .gs = gs, .nr = nr, .stop = stop };
    pthread_t tid[MAX_PARALLEL];
    unsigned int i, started = 0;
    int rc = 0;

    for ( i = 0; i < threads && i < MAX_PARALLEL; i++ )
    {
        if ( pthread_create(&tid[i], NULL, worker, &p) )
        {
            fprintf(stderr, "vmport-stress: cannot start thread %u\n", i);
            rc = -1;
            break;
        }
        started++;
    }
    stress_unlock();
    for ( i = 0; i < started; i++ )
        pthread_join(tid[i], NULL);
    stress_lock();
    return rc;
}
