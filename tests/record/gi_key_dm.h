/*
 * gi_key_dm.h: the device model's side of test_gi_key_agree, in plain C
 * (no Xen types), so a tools-side test can call it.
 */
#ifndef GI_KEY_DM_H
#define GI_KEY_DM_H

#include <stddef.h>

/*
 * On a fresh domain whose key limit is @key_max: vmport_guestinfo_set() of
 * the @klen bytes of @key.  Its return value; on 0 the key as the store
 * keeps it in @stored (@cap bytes, not terminated), its length in *@slen,
 * and *@found tells whether vmport_guestinfo_get() of @key finds it.
 */
int dm_gi_set_key(const char *key, size_t klen, unsigned int key_max,
                  char *stored, size_t cap, size_t *slen, int *found);

#endif /* GI_KEY_DM_H */
