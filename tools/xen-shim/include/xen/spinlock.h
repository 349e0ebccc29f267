/*
 * Shim of Xen's <xen/spinlock.h> on an error-checking pthread mutex: taking
 * a lock the caller already holds, or releasing one it does not, aborts
 * the test instead of deadlocking.
 */
#ifndef __SHIM_XEN_SPINLOCK_H__
#define __SHIM_XEN_SPINLOCK_H__

#include <pthread.h>

#include <xen/types.h>

typedef struct {
    pthread_mutex_t m;
    int held;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP, 0 }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

void spin_lock_init(spinlock_t *l);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
#define spin_is_locked(l) (ACCESS_ONCE((l)->held) != 0)

#endif /* __SHIM_XEN_SPINLOCK_H__ */
