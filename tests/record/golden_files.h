/*
 * golden_files.h: iterate over the frozen records in tests/golden/.
 */
#ifndef GOLDEN_FILES_H
#define GOLDEN_FILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *golden_dir = "tests/golden";

/* The whole file, malloc()ed; NULL if unreadable. */
static inline uint8_t *golden_read(const char *name, size_t *len)
{
    char path[512];
    uint8_t *buf = NULL;
    long n;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
    f = fopen(path, "rb");
    if ( !f )
        return NULL;
    if ( !fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
         !fseek(f, 0, SEEK_SET) && (buf = malloc(n ? n : 1)) &&
         fread(buf, 1, n, f) == (size_t)n )
        *len = n;
    else
    {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* Names of the *.bin files, sorted; returns how many (at most @max). */
static inline unsigned int golden_list(char names[][64], unsigned int max)
{
    struct dirent *e;
    unsigned int n = 0, i, j;
    DIR *dir = opendir(golden_dir);

    if ( !dir )
        return 0;
    while ( (e = readdir(dir)) && n < max )
    {
        size_t l = strlen(e->d_name);

        if ( l > 4 && l < 64 && !strcmp(e->d_name + l - 4, ".bin") )
            strcpy(names[n++], e->d_name);
    }
    closedir(dir);
    for ( i = 1; i < n; i++ )
        for ( j = i; j && strcmp(names[j - 1], names[j]) > 0; j-- )
        {
            char t[64];

            strcpy(t, names[j]);
            strcpy(names[j], names[j - 1]);
            strcpy(names[j - 1], t);
        }
    return n;
}

#endif /* GOLDEN_FILES_H */
